/**
 * ESRI Shapefile, zipped: `.shp`, `.shx`, `.dbf` (UTF-8), `.cpg` ("UTF-8", which QGIS,
 * ArcGIS and GDAL honour, so Chinese reads correctly), `.prj` (ESRI WKT of the CRS),
 * `<name>.qml` (QGIS loads it as the layer's default style), `fields.csv` (the 10-character
 * DBF names against the full names and their Chinese and English titles) and
 * `<name>.metadata.json`.
 *
 * Written through temporary files, so memory stays at one page of rows: pass 1 streams
 * geometries into `.shp`/`.shx` (headers patched at the end, when the bounds and length are
 * known) and attributes into a JSON-lines scratch file while planning DBF column widths;
 * pass 2 writes the `.dbf` from the scratch file; then the files are zipped as a stream.
 * The folder is removed afterwards, also when the client goes away mid-download.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DbfPlanner, dbfHeader, dbfRecord, DBF_EOF } from '../../../../core/export/dbf';
import { unionBounds, type Bounds } from '../../../../core/export/geometry';
import { shapeTypeOf, shpHeader, shpRecordContent, shpRecordHeader, shxRecord, SHP_HEADER_BYTES } from '../../../../core/export/shp';
import type { FieldValue } from '../../../../core/export/types';
import { fieldsCsv, jobQml, metadataJson, type ExportJob } from '../job';
import { zipStream, type ZipEntry } from '../zip';

/** The format's own limit: offsets are 32-bit counts of 16-bit words. */
const SHP_MAX_BYTES = 2 ** 31 - 1;

/** Appends to a file through a 1 MiB buffer. */
class FileSink {
  private buf = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  constructor(readonly fh: FileHandle) {}
  async write(bytes: Uint8Array): Promise<void> {
    if (this.used + bytes.length > this.buf.length) await this.flush();
    if (bytes.length > this.buf.length) {
      await this.fh.write(bytes);
      return;
    }
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }
  async flush(): Promise<void> {
    if (this.used) await this.fh.write(this.buf, 0, this.used);
    this.used = 0;
  }
}

const encoder = new TextEncoder();

export async function* writeShp(job: ExportJob): AsyncGenerator<Uint8Array> {
  const dir = await mkdtemp(path.join(tmpdir(), 'atlas-export-'));
  const file = (ext: string) => path.join(dir, `layer.${ext}`);
  try {
    const shapeType = shapeTypeOf(job.geometryType);
    const planner = new DbfPlanner(job.fields, job.dbfNames);
    let records = 0;

    // Pass 1: geometry into .shp/.shx, attributes into a scratch file.
    const shpFh = await open(file('shp'), 'w');
    const shxFh = await open(file('shx'), 'w');
    const rowsFh = await open(file('jsonl'), 'w');
    try {
      const shp = new FileSink(shpFh);
      const shx = new FileSink(shxFh);
      const rows = new FileSink(rowsFh);
      await shp.write(new Uint8Array(SHP_HEADER_BYTES));
      await shx.write(new Uint8Array(SHP_HEADER_BYTES));
      let offset = SHP_HEADER_BYTES;
      let bounds: Bounds | null = null;
      for await (const f of job.features) {
        const { content, bounds: b } = shpRecordContent(f.geometry, job.geometryType);
        await shp.write(shpRecordHeader(++records, content.length));
        await shp.write(content);
        await shx.write(shxRecord(offset, content.length));
        offset += 8 + content.length;
        if (offset > SHP_MAX_BYTES) throw new Error('the layer is larger than a shapefile can hold (2 GB); export it as GeoPackage');
        bounds = unionBounds(bounds, b);
        planner.observe(f.properties);
        await rows.write(encoder.encode(`${JSON.stringify(f.properties)}\n`));
      }
      await Promise.all([shp.flush(), shx.flush(), rows.flush()]);
      await shpFh.write(shpHeader(shapeType, offset, bounds), 0, SHP_HEADER_BYTES, 0);
      await shxFh.write(shpHeader(shapeType, SHP_HEADER_BYTES + 8 * records, bounds), 0, SHP_HEADER_BYTES, 0);
    } finally {
      await Promise.all([shpFh.close(), shxFh.close(), rowsFh.close()]);
    }

    // Pass 2: the DBF, now that the column widths are known.
    const columns = planner.columns();
    const dbfFh = await open(file('dbf'), 'w');
    try {
      const dbf = new FileSink(dbfFh);
      await dbf.write(dbfHeader(columns, records, job.now));
      const lines = createInterface({ input: createReadStream(file('jsonl'), 'utf8'), crlfDelay: Infinity });
      for await (const line of lines) {
        if (line) await dbf.write(dbfRecord(columns, JSON.parse(line) as Record<string, FieldValue>));
      }
      await dbf.write(DBF_EOF);
      await dbf.flush();
    } finally {
      await dbfFh.close();
    }

    const clipped = planner.clipped();
    const m = job.metadata;
    m.notes.push({
      zh: 'Shapefile 字段名最长 10 个字符：完整字段名、中英文标题与 DBF 字段名的对照见 fields.csv。',
      en: 'Shapefile field names are at most 10 characters: fields.csv maps each DBF name to the full field name and its Chinese and English titles.',
    });
    for (const [field, count] of Object.entries(clipped)) {
      m.notes.push({
        zh: `字段 ${field} 有 ${count} 个值超过 DBF 的 254 字节上限，已在字符边界处截断；完整值请导出 GeoPackage。`,
        en: `${count} values of ${field} were longer than DBF’s 254 bytes and were cut at a character boundary; export GeoPackage for the full text.`,
      });
    }

    const base = job.baseName;
    const qml = jobQml(job, job.dbfNames);
    const entries: ZipEntry[] = [
      { name: `${base}.shp`, data: () => createReadStream(file('shp')) },
      { name: `${base}.shx`, data: () => createReadStream(file('shx')) },
      { name: `${base}.dbf`, data: () => createReadStream(file('dbf')) },
      { name: `${base}.prj`, data: job.crs.esriWkt },
      { name: `${base}.cpg`, data: 'UTF-8' },
      ...(qml ? [{ name: `${base}.qml`, data: qml }] : []),
      { name: 'fields.csv', data: () => fieldsCsv(job) },
      { name: `${base}.metadata.json`, data: () => metadataJson(job) },
    ];
    yield* zipStream(entries, job.now);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
