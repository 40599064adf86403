/**
 * District boundaries from GeoJSON: `code`/`adcode` (GB/T 2260, 6 digits) and names,
 * every vertex converted from the file's datum to WGS84 (the shared ECharts boundaries
 * are GCJ-02-like: `--crs gcj02`), upserted on `code`; then every facility and
 * population cell is re-assigned to its district by point-in-polygon in PostGIS.
 */
import { toWgs84 } from '../../../core/datum';
import { roundCoord } from '../../../core/osm/geometry';
import { CENTRAL_URBAN_CODES, DISTRICT_NAMES_EN, LEGACY_CODES } from '../../../core/demo/districtCodes';
import type { ImportContext } from './context';
import type { GeoJsonFile } from './detect';
import { assignDistricts } from './sql/facilities';
import { upsertDistricts, type DistrictRow } from './sql/districts';
import { deriveCells } from './sql/population';

export async function importDistricts(ctx: ImportContext, doc: GeoJsonFile): Promise<void> {
  const { summary, opts } = ctx;
  summary.kinds = ['districts'];
  const crs = opts.crs ?? 'wgs84';
  summary.crs = crs;
  summary.extent = { bbox: null, from: 'off' };
  const convert = (c: unknown): unknown =>
    typeof (c as number[])[0] === 'number'
      ? (() => {
          const [x, y] = toWgs84([(c as number[])[0], (c as number[])[1]], crs);
          return [roundCoord(x), roundCoord(y)];
        })()
      : (c as unknown[]).map(convert);

  const rows: DistrictRow[] = [];
  const seen = new Map<string, number>();
  doc.features.forEach((f, i) => {
    const row = i + 1;
    const p = f.properties ?? {};
    let code = String(p.adcode ?? p.code ?? p.CODE ?? '').trim();
    let name = String(p.name_zh ?? p.name ?? p.NAME ?? '').trim();
    const legacy = LEGACY_CODES[code];
    if (legacy) {
      // renamed units (梁平县 → 梁平区, 武隆县 → 武隆区): same territory, current code
      code = legacy.code;
      name = legacy.name_zh;
    }
    if (!/^\d{6}$/.test(code)) {
      ctx.reject({
        row,
        source_id: code || null,
        code: 'bad_value',
        reason: `feature ${row}: code/adcode "${code}" is not a 6-digit GB/T 2260 code`,
      });
      return;
    }
    if (!name) {
      ctx.reject({ row, source_id: code, code: 'missing_name', reason: `district ${code}: no name/name_zh property` });
      return;
    }
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
      ctx.reject({
        row,
        source_id: code,
        code: 'no_geometry',
        reason: `district ${code}: geometry must be a Polygon or MultiPolygon (got ${g?.type ?? 'none'})`,
      });
      return;
    }
    if (seen.has(code)) {
      ctx.reject({
        row,
        source_id: code,
        code: 'duplicate_id',
        reason: `duplicate district code ${code} (first at feature ${seen.get(code)})`,
      });
      return;
    }
    seen.set(code, row);
    const central = p.central_urban ?? p.central_urban_9;
    rows.push({
      code,
      name_zh: name,
      name_en: String(p.name_en ?? DISTRICT_NAMES_EN[code] ?? name),
      central_urban: typeof central === 'boolean' ? central : CENTRAL_URBAN_CODES.has(code),
      geometry: JSON.stringify({ type: g.type, coordinates: convert(g.coordinates) }),
    });
  });
  summary.read = doc.features.length;
  await ctx.write(async (tx) => {
    const c = await upsertDistricts(tx, rows, summary.source);
    Object.assign(summary, { inserted: c.inserted, updated: c.updated, unchanged: c.unchanged });
    const moved = await assignDistricts(tx, null);
    await deriveCells(tx, null);
    summary.details = { facilitiesReassigned: moved };
  });
}
