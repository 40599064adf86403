/**
 * Facility registers: CSV in UTF-8 and GBK with Chinese headers and GCJ-02 coordinates,
 * BD-09 detected from its headers, XLSX (made here with exceljs), GeoJSON; bad rows with
 * row numbers and reasons; --strict, --dry-run, --category, --map, --full; the report file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { importFile, writeReport } from '../../server/features/imports/index';
import { fromWgs84 } from '../../core/datum';
import { TRUTH } from '../fixtures/import/truth';
import { dbTargets, distanceM, fixture, loadFixtureDistricts, openTestDb, type TestDb } from './targets';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'atlas-import-test-'));

async function positions(t: TestDb, source: string) {
  const r = await t.db.query<{ source_id: string; lng: number; lat: number; category: string; district_code: string | null }>(
    `SELECT source_id, ST_X(geom) AS lng, ST_Y(geom) AS lat, category, district_code FROM facilities WHERE source = $1 ORDER BY source_id`,
    [source],
  );
  return new Map(r.rows.map((x) => [x.source_id, x]));
}

/** Every truth row landed within 1 m of its WGS84 position, in the right category and district. */
async function expectTruth(t: TestDb, source: string) {
  const got = await positions(t, source);
  expect(got.size).toBe(TRUTH.length);
  for (const row of TRUTH) {
    const f = got.get(row.id)!;
    expect(distanceM([f.lng, f.lat], [row.lng, row.lat]), row.id).toBeLessThan(1);
    expect(f.category).toBe(row.categoryId);
    expect(f.district_code).toBe(row.lng < 106.6 ? '500103' : '500105');
  }
}

describe.each(dbTargets())('register import on %s', (target) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(target);
    await loadFixtureDistricts(t.db);
  });
  afterAll(() => t?.close());

  it('CSV, UTF-8 with BOM, Chinese headers, GCJ-02 → WGS84 within 1 m', async () => {
    const s = await importFile(t.db, fixture('register-gcj02.csv'), { crs: 'gcj02', source: 'reg-utf8' });
    expect(s).toMatchObject({ status: 'done', format: 'csv', encoding: 'utf-8', crs: 'gcj02', read: 5, inserted: 5, rejected: 0 });
    await expectTruth(t, 'reg-utf8');
    const r = await t.db.query<any>(
      `SELECT name_zh, address, capacity, ownership, inclusive, opening_hours, phone, attributes FROM facilities WHERE source = 'reg-utf8' ORDER BY source_id`,
    );
    expect(r.rows[0]).toMatchObject({
      name_zh: '解放碑母婴室',
      address: '渝中区民族路188号',
      opening_hours: '09:00-21:00',
      phone: '023-63830000',
      ownership: 'public',
    });
    expect(r.rows[0].attributes).toEqual({ 备注: '商场三楼', district_declared: '渝中区' });
    expect(r.rows[1]).toMatchObject({ capacity: 270, inclusive: true });
    expect(r.rows[2]).toMatchObject({ capacity: 80, ownership: 'private', inclusive: true }); // 80人, 普惠性民办
    expect(r.rows[3]).toMatchObject({ capacity: 1800 });
  });

  it('the same register in GBK reads identically', async () => {
    const s = await importFile(t.db, fixture('register-gcj02-gbk.csv'), { crs: 'gcj02', source: 'reg-gbk' });
    expect(s).toMatchObject({ encoding: 'gb18030', read: 5, inserted: 5, rejected: 0 });
    await expectTruth(t, 'reg-gbk');
    const a = await t.db.query<any>(
      `SELECT source_id, name_zh, address, attributes FROM facilities WHERE source = 'reg-utf8' ORDER BY source_id`,
    );
    const b = await t.db.query<any>(
      `SELECT source_id, name_zh, address, attributes FROM facilities WHERE source = 'reg-gbk' ORDER BY source_id`,
    );
    expect(b.rows).toEqual(a.rows);
  });

  it('a BD-09 register is recognised from its 百度经度/百度纬度 headers', async () => {
    const s = await importFile(t.db, fixture('register-bd09.csv'), { source: 'reg-bd09' });
    expect(s).toMatchObject({ crs: 'bd09', inserted: 5, rejected: 0 });
    await expectTruth(t, 'reg-bd09');
  });

  it('XLSX (numbers, rich text, a formula) with --map overrides', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('托育机构');
    ws.addRow(['序号', '机构全称', 'X坐标(GCJ02)', 'Y坐标(GCJ02)', '托位', '备注']);
    TRUTH.forEach((row, i) => {
      const [lng, lat] = fromWgs84([row.lng, row.lat], 'gcj02');
      ws.addRow([
        `X${i + 1}`,
        i === 0 ? { richText: [{ text: row.name.slice(0, 2) }, { text: row.name.slice(2) }] } : row.name,
        lng,
        lat,
        { formula: '40*2', result: 80 },
        '',
      ]);
    });
    const file = path.join(tmp, 'nurseries.xlsx');
    await wb.xlsx.writeFile(file);
    const s = await importFile(t.db, file, {
      crs: 'gcj02',
      source: 'reg-xlsx',
      category: 'nursery',
      map: { source_id: '序号', name: '机构全称', lng: 'X坐标(GCJ02)', lat: 'Y坐标(GCJ02)' },
    });
    expect(s).toMatchObject({ format: 'xlsx', inserted: 5, rejected: 0 });
    const got = await t.db.query<any>(
      `SELECT source_id, name_zh, category, capacity, ST_X(geom) AS lng, ST_Y(geom) AS lat FROM facilities WHERE source = 'reg-xlsx' ORDER BY source_id`,
    );
    expect(got.rows.map((r) => r.category)).toEqual(Array(5).fill('nursery'));
    expect(got.rows[0]).toMatchObject({ source_id: 'X1', name_zh: '解放碑母婴室', capacity: 80 });
    for (const [i, r] of got.rows.entries()) expect(distanceM([r.lng, r.lat], [TRUTH[i].lng, TRUTH[i].lat])).toBeLessThan(1);
  });

  it('GeoJSON: points and a polygon (footprint kept, marker on its surface)', async () => {
    const s = await importFile(t.db, fixture('facilities.geojson'), { source: 'reg-geojson' });
    expect(s).toMatchObject({ format: 'geojson', inserted: 3, rejected: 0 });
    const r = await t.db.query<any>(
      `SELECT source_id, category, name_zh, capacity, GeometryType(footprint) AS fp, attributes FROM facilities WHERE source = 'reg-geojson' ORDER BY source_id`,
    );
    expect(r.rows.map((x) => [x.source_id, x.category, x.fp])).toEqual([
      ['G1', 'mother_baby_room', null],
      ['G2', 'nursery', null],
      ['G3', 'park', 'POLYGON'],
    ]);
    expect(r.rows[2].attributes).toEqual({ 面积: '6.7公顷' });
  });

  it('bad rows are rejected with row numbers and reasons; good rows go in; the report lists them', async () => {
    const s = await importFile(t.db, fixture('register-bad.csv'), { source: 'reg-bad' });
    expect(s).toMatchObject({ status: 'done', read: 10, inserted: 1, rejected: 9 });
    const byRow = Object.fromEntries(s.rejections.map((r) => [r.row, r]));
    expect(byRow[3]).toMatchObject({ code: 'swapped_coordinates', source_id: 'B2' });
    expect(byRow[3].reason).toMatch(/swapped/);
    expect(byRow[4]).toMatchObject({ code: 'missing_coordinate' });
    expect(byRow[5]).toMatchObject({ code: 'unknown_category' });
    expect(byRow[5].reason).toContain('游泳馆');
    expect(byRow[6]).toMatchObject({ code: 'duplicate_id', source_id: 'B1' });
    expect(byRow[6].reason).toContain('row 2');
    expect(byRow[7]).toMatchObject({ code: 'missing_name' });
    expect(byRow[8]).toMatchObject({ code: 'outside_extent' });
    expect(byRow[9]).toMatchObject({ code: 'projected_coordinates' });
    expect(byRow[10]).toMatchObject({ code: 'outside_extent' });
    expect(byRow[10].reason).toMatch(/datum/);
    expect(byRow[11]).toMatchObject({ code: 'bad_value' });
    expect(byRow[11].reason).toContain('capacity');

    const csv = writeReport(s, path.join(tmp, 'bad.report.csv'));
    const text = readFileSync(csv, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.split('\r\n')[0]).toBe('\uFEFFrow,source_id,code,reason');
    expect(text).toContain('3,B2,swapped_coordinates,');
    const json = JSON.parse(readFileSync(writeReport(s, path.join(tmp, 'bad.report.json')), 'utf8'));
    expect(json.rejected).toBe(9);
  });

  it('--strict writes nothing when a row is bad; --dry-run writes nothing at all', async () => {
    const strict = await importFile(t.db, fixture('register-bad.csv'), { source: 'reg-strict', strict: true });
    expect(strict).toMatchObject({ status: 'failed', inserted: 0, rejected: 9 });
    expect(strict.message).toMatch(/strict/);
    const dry = await importFile(t.db, fixture('register-gcj02.csv'), { source: 'reg-dry', crs: 'gcj02', dryRun: true });
    expect(dry).toMatchObject({ status: 'dry-run', read: 5, inserted: 0, rejected: 0, runId: null });
    const n = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM facilities WHERE source IN ('reg-strict', 'reg-dry')`);
    expect(n.rows[0].n).toBe(0);
    const runs = await t.db.query<{ status: string }>(`SELECT status FROM import_runs WHERE source = 'reg-strict'`);
    expect(runs.rows).toEqual([{ status: 'failed' }]);
  });

  it('re-import: unchanged; a changed row updates with history; --full retires a vanished row', async () => {
    const again = await importFile(t.db, fixture('register-gcj02.csv'), { crs: 'gcj02', source: 'reg-utf8' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 5, retired: 0 });

    const lines = readFileSync(fixture('register-gcj02.csv'), 'utf8').split('\r\n');
    const edited = [lines[0], lines[1].replace('09:00-21:00', '10:00-22:00'), ...lines.slice(2, 5), ''].join('\r\n'); // R005 dropped
    const file = path.join(tmp, 'register-edited.csv');
    writeFileSync(file, edited);
    const s = await importFile(t.db, file, { crs: 'gcj02', source: 'reg-utf8', full: true });
    expect(s).toMatchObject({ read: 4, inserted: 0, updated: 1, unchanged: 3, retired: 1 });
    const r = await t.db.query<any>(
      `SELECT source_id, status, version, opening_hours, retired_at IS NOT NULL AS retired, updated_at > created_at AS touched
         FROM facilities WHERE source = 'reg-utf8' AND source_id IN ('R001', 'R005') ORDER BY source_id`,
    );
    expect(r.rows).toEqual([
      { source_id: 'R001', status: 'active', version: 2, opening_hours: '10:00-22:00', retired: false, touched: true },
      { source_id: 'R005', status: 'retired', version: 2, opening_hours: '06:00-22:00', retired: true, touched: true },
    ]);
    const h = await t.db.query<any>(
      `SELECT f.source_id, h.version, h.action, h.changed_by, h.data->>'opening_hours' AS hours FROM facility_history h JOIN facilities f ON f.id = h.facility_id
        WHERE f.source = 'reg-utf8' AND h.version = 2 ORDER BY f.source_id`,
    );
    expect(h.rows).toEqual([
      { source_id: 'R001', version: 2, action: 'import', changed_by: 'import:reg-utf8', hours: '10:00-22:00' },
      { source_id: 'R005', version: 2, action: 'retire', changed_by: 'import:reg-utf8', hours: '06:00-22:00' },
    ]);
    // back in the file: re-activated as a new version
    const back = await importFile(t.db, fixture('register-gcj02.csv'), { crs: 'gcj02', source: 'reg-utf8' });
    expect(back).toMatchObject({ updated: 2, unchanged: 3 });
    const st = await t.db.query<any>(`SELECT status, retired_at, version FROM facilities WHERE source = 'reg-utf8' AND source_id = 'R005'`);
    expect(st.rows[0]).toEqual({ status: 'active', retired_at: null, version: 3 });
  });
});
