/**
 * XLSX for tables, streamed through exceljs's `WorkbookWriter` (rows are committed as
 * they come and zipped on the fly; no temporary file). Three sheets: the data (field
 * names in the header row; coordinates for points, and WKT when asked with `geom=wkt`), `fields`
 * (Chinese and English titles of every column) and `metadata`.
 *
 * Excel's limits apply: 1 048 576 rows per sheet and 32 767 characters per cell; a
 * geometry whose WKT is longer is left empty and listed in the metadata sheet.
 */
import { PassThrough } from 'node:stream';
import { metadataLines } from '../../../../core/export/metadata';
import { toWkt } from '../../../../core/export/wkt';
import type { ExportJob } from '../job';
import { tablePoint } from './csv';

/** Excel's cell limit (Excel specifications and limits: "Total number of characters that a cell can contain"). */
export const XLSX_MAX_CELL_CHARS = 32767;
const XLSX_MAX_ROWS = 1_048_576;

export async function* writeXlsx(job: ExportJob): AsyncGenerator<Uint8Array> {
  const pass = new PassThrough();
  let stopped = false;
  const produce = async () => {
    // exceljs (~170 modules) is loaded on the first XLSX, not at start (issue 13)
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: pass, useStyles: true, useSharedStrings: true });
    wb.creator = `${job.metadata.app.name} ${job.metadata.app.version}`;
    wb.created = job.now;
    wb.title = `${job.metadata.title.zh} / ${job.metadata.title.en}`;
    const point = job.geometryType === 'Point';
    const coords = job.geom !== 'none';
    const wkt = job.geom === 'wkt' || (job.geom === 'auto' && !point);
    const header = [...job.fields.map((f) => f.name), ...(coords ? job.crs.axes : []), ...(wkt ? ['wkt'] : [])];
    const ws = wb.addWorksheet(job.layer.id.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = header.map((h) => ({ header: h, key: h, width: Math.min(40, Math.max(10, h.length + 2)) }));
    ws.getRow(1).font = { bold: true };
    const tooLong: (string | number)[] = [];
    let rows = 1;
    for await (const f of job.features) {
      if (stopped) return;
      if (++rows > XLSX_MAX_ROWS)
        throw new Error(`more than ${XLSX_MAX_ROWS - 1} rows: too many for one Excel sheet; export CSV or GeoPackage`);
      const values: unknown[] = job.fields.map((fd) => f.properties[fd.name]);
      if (coords) {
        const p = tablePoint(f);
        values.push(p?.[0] ?? null, p?.[1] ?? null);
      }
      if (wkt) {
        const text = toWkt(f.geometry);
        if (text.length > XLSX_MAX_CELL_CHARS) tooLong.push(f.id);
        values.push(text.length > XLSX_MAX_CELL_CHARS ? null : text);
      }
      ws.addRow(values).commit();
      if (pass.writableNeedDrain)
        await new Promise((r) => {
          pass.once('drain', r);
          pass.once('close', r);
        });
    }
    ws.commit();
    if (tooLong.length) {
      job.metadata.notes.push({
        zh: `${tooLong.length} 个几何图形的 WKT 超过 Excel 单元格 32767 字符上限，已留空（编号：${tooLong.slice(0, 50).join(', ')}${tooLong.length > 50 ? '…' : ''}）；完整几何请导出 CSV 或 GeoPackage。`,
        en: `${tooLong.length} geometries have WKT longer than Excel’s 32,767-character cell limit and were left empty (ids: ${tooLong.slice(0, 50).join(', ')}${tooLong.length > 50 ? '…' : ''}); export CSV or GeoPackage for them.`,
      });
    }
    const fs = wb.addWorksheet('fields');
    fs.columns = ['name', 'type', 'title_zh', 'title_en'].map((h) => ({ header: h, key: h, width: h === 'name' ? 22 : 28 }));
    for (const f of job.fields) fs.addRow([f.name, f.type, f.zh, f.en]).commit();
    fs.commit();
    const ms = wb.addWorksheet('metadata');
    ms.columns = [
      { header: 'key', key: 'key', width: 24 },
      { header: 'value', key: 'value', width: 120 },
    ];
    for (const [k, v] of metadataLines(job.metadata)) ms.addRow([k, v]).commit();
    ms.commit();
    await wb.commit();
  };
  const done = produce().catch((e: unknown) => {
    pass.destroy(e instanceof Error ? e : new Error(String(e)));
  });
  try {
    for await (const chunk of pass) yield chunk as Uint8Array;
    await done;
  } finally {
    stopped = true;
    pass.destroy();
  }
}
