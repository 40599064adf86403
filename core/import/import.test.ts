import { describe, expect, it } from 'vitest';
import { guessDelimiter, parseCsv } from './csv';
import { crsFromHeader, mapColumns, normalizeHeader, parseMapOption } from './columns';
import { ageFromText, booleanFromText, categoryFromText, dateFromText, ownershipFromText, wholeNumberFromText } from './values';
import { checkLngLat, DEFAULT_EXTENT, extentWithMargin, parseDegrees } from './coordinates';
import { facilitiesFromRecords, hash53, type FacilityRecord } from './facilityRecords';
import { isCensusHeader, isGridHeader, metresToDegrees, parseCensus, smallestStep, squareRing } from './population';

const CQ = extentWithMargin(DEFAULT_EXTENT);

function metres(a: readonly number[], b: readonly number[]) {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b[1] - a[1]) * rad) / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(((b[0] - a[0]) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

describe('CSV', () => {
  it('parses quotes, embedded delimiters and newlines, CRLF, BOM; numbers rows as a spreadsheet does', () => {
    const t = parseCsv('\uFEFF名称,备注\r\n"幼儿园, 一","说""好""\r\n第二行"\r\n\r\n公园,\r\n');
    expect(t.header).toEqual(['名称', '备注']);
    expect(t.rows).toEqual([
      ['幼儿园, 一', '说"好"\r\n第二行'],
      ['公园', ''],
    ]);
    expect(t.rowNumbers).toEqual([2, 5]);
  });
  it('guesses tab, semicolon and full-width comma delimiters', () => {
    expect(guessDelimiter('a\tb\tc\n1\t2\t3')).toBe('\t');
    expect(guessDelimiter('a;b;c')).toBe(';');
    expect(guessDelimiter('名称，经度，纬度')).toBe('，');
  });
});

describe('columns', () => {
  it('recognises Chinese and English headers and the datum they announce', () => {
    const m = mapColumns(['编号', '机构名称', '类别', '经度(GCJ-02)', '纬度(GCJ-02)', '托位数（个）', '是否普惠', '备注']);
    expect(m.fields).toEqual({ source_id: 0, name: 1, category: 2, lng: 3, lat: 4, capacity: 5, inclusive: 6 });
    expect(m.extra).toEqual([{ index: 7, header: '备注' }]);
    expect(m.crs).toBe('gcj02');
    expect(mapColumns(['Name', 'Longitude', 'Latitude']).fields).toEqual({ name: 0, lng: 1, lat: 2 });
    expect(mapColumns(['名称', '百度经度', '百度纬度']).crs).toBe('bd09');
    expect(crsFromHeader('lng_wgs84')).toBe('wgs84');
    expect(normalizeHeader(' Opening_Hours ')).toBe('openinghours');
  });
  it('--map overrides win, by header or by column number', () => {
    const m = mapColumns(['序号', '全称', 'X', 'Y'], parseMapOption('name=全称,lng=#3,lat=Y'));
    expect(m.fields).toMatchObject({ name: 1, lng: 2, lat: 3 });
    expect(mapColumns(['a'], { name: 'nope' }).unknownOverrides).toEqual(['name=nope']);
    expect(() => parseMapOption('colour=红')).toThrow(/unknown field/);
  });
});

describe('values', () => {
  it('categories in Chinese, English, ids and synonyms', () => {
    expect(categoryFromText('幼儿园')).toBe('kindergarten');
    expect(categoryFromText('托育机构')).toBe('nursery');
    expect(categoryFromText('托儿所')).toBe('nursery');
    expect(categoryFromText('母婴室')).toBe('mother_baby_room');
    expect(categoryFromText('Children’s library')).toBe('library');
    expect(categoryFromText('儿童阅览室')).toBe('library');
    expect(categoryFromText('未保站')).toBe('protection_station');
    expect(categoryFromText('Primary school')).toBe('primary_school');
    expect(categoryFromText('middle_school')).toBe('middle_school');
    expect(categoryFromText('游泳馆')).toBeUndefined();
  });
  it('yes/no, ownership, numbers, ages, dates', () => {
    expect([booleanFromText('是'), booleanFromText('否'), booleanFromText('√'), booleanFromText(''), booleanFromText('也许')]).toEqual([
      true,
      false,
      true,
      null,
      undefined,
    ]);
    expect(ownershipFromText('普惠性民办')).toEqual({ ownership: 'private', inclusive: true });
    expect(ownershipFromText('公办')).toEqual({ ownership: 'public', inclusive: undefined });
    expect(ownershipFromText('其他')).toBeUndefined();
    expect([wholeNumberFromText('1,200'), wholeNumberFromText('80人'), wholeNumberFromText('很多'), wholeNumberFromText('')]).toEqual([
      1200,
      80,
      undefined,
      null,
    ]);
    expect([ageFromText('3岁'), ageFromText('6个月'), ageFromText('x')]).toEqual([3, 0.5, undefined]);
    expect(dateFromText('2024年3月1日')?.toISOString()).toBe('2024-02-29T16:00:00.000Z'); // CST midnight
    expect(dateFromText('45352')?.toISOString().slice(0, 10)).toBe('2024-03-01'); // Excel serial day
  });
});

describe('coordinates', () => {
  it('parses decimals and degrees–minutes–seconds', () => {
    expect(parseDegrees('106.5516')).toBe(106.5516);
    expect(parseDegrees('106°33′06″')).toBeCloseTo(106.551667, 6);
    expect(parseDegrees('东经106度33分6秒')).toBeCloseTo(106.551667, 6);
    expect(parseDegrees('')).toBeNull();
    expect(parseDegrees('abc')).toBeNaN();
  });
  it('says why a position is wrong', () => {
    expect(checkLngLat(null, 29.5, 'wgs84', CQ)).toMatchObject({
      ok: false,
      code: 'missing_coordinate',
      reason: 'missing coordinate (lng)',
    });
    expect(checkLngLat(29.56, 106.55, 'wgs84', CQ)).toMatchObject({ ok: false, code: 'swapped_coordinates' });
    expect(checkLngLat(29.56, 106.55, 'wgs84', null)).toMatchObject({ ok: false, code: 'swapped_coordinates' });
    expect(checkLngLat(36_500_000, 3_269_000, 'wgs84', CQ)).toMatchObject({ ok: false, code: 'projected_coordinates' });
    expect(checkLngLat(0, 0, 'wgs84', null)).toMatchObject({ ok: false, code: 'bad_coordinate' });
    expect(checkLngLat(116.404, 39.915, 'wgs84', CQ)).toMatchObject({ ok: false, code: 'outside_extent' });
    const near = checkLngLat(CQ[0] - 0.01, 29.5, 'wgs84', CQ);
    expect(near.ok === false && near.reason).toMatch(/check the datum/);
    expect(checkLngLat(116.404, 39.915, 'wgs84', null)).toEqual({ ok: true, lng: 116.404, lat: 39.915 });
  });
  it('GCJ-02 and BD-09 input land within 1 m of the published WGS84 reference (wandergis/coordtransform)', () => {
    // wgs84_to_gcj02(116.404, 39.915) = (116.41024449916938, 39.91640428150164)
    const gcj = checkLngLat(116.41024449916938, 39.91640428150164, 'gcj02', null);
    expect(gcj.ok && metres([gcj.lng, gcj.lat], [116.404, 39.915])).toBeLessThan(1);
    // gcj02_to_bd09(116.404, 39.915) = (116.41036949371029, 39.92133699351021): its WGS84 is the GCJ→WGS84 of (116.404, 39.915)
    const bd = checkLngLat(116.41036949371029, 39.92133699351021, 'bd09', null);
    const viaGcj = checkLngLat(116.404, 39.915, 'gcj02', null);
    expect(bd.ok && viaGcj.ok && metres([bd.lng, bd.lat], [viaGcj.lng, viaGcj.lat])).toBeLessThan(1);
    expect(checkLngLat(106.55, 29.56, 'cgcs2000', CQ)).toEqual({ ok: true, lng: 106.55, lat: 29.56 });
  });
});

describe('facility records', () => {
  const rec = (row: number, fields: FacilityRecord['fields']): FacilityRecord => ({ row, fields, extra: {} });
  it('derives a stable id without an id column, rejects duplicates after the first', () => {
    const rows = [
      rec(2, { name: '甲母婴室', category: '母婴室', lng: '106.55', lat: '29.56' }),
      rec(3, { name: '甲母婴室', category: '母婴室', lng: '106.56', lat: '29.56' }),
    ];
    const r = facilitiesFromRecords(rows, { crs: 'wgs84', extent: CQ });
    expect(r.facilities).toHaveLength(1);
    expect(r.facilities[0].source_id).toBe(`k:${hash53('mother_baby_room|甲母婴室|')}`);
    expect(r.rejected[0]).toMatchObject({ row: 3, code: 'duplicate_id' });
    expect(facilitiesFromRecords(rows.slice(0, 1), { crs: 'wgs84', extent: CQ }).facilities[0].source_id).toBe(r.facilities[0].source_id);
  });
  it('--category applies to the whole file; Excel float ids are cleaned', () => {
    const r = facilitiesFromRecords([rec(2, { source_id: '12.0', name: '某托育', lnglat: '106.55,29.56' })], {
      crs: 'wgs84',
      extent: CQ,
      category: 'nursery',
    });
    expect(r.facilities[0]).toMatchObject({ source_id: '12', category: 'nursery', lng: 106.55, lat: 29.56 });
  });
  it('does not mutate the records', () => {
    const input = Object.freeze([Object.freeze(rec(2, Object.freeze({ name: '乙', category: '公园', lng: '106.55', lat: '29.56' })))]);
    expect(() => facilitiesFromRecords(input, { crs: 'gcj02', extent: CQ })).not.toThrow();
  });
});

describe('population tables', () => {
  it('recognises census and grid headers', () => {
    expect(isCensusHeader(['CODE', 'NAME', 'POPU'])).toBe(true);
    expect(isCensusHeader(['区划代码', '常住人口'])).toBe(true);
    expect(isGridHeader(['lng', 'lat', 'population'])).toBe(true);
    expect(isGridHeader(['h3', 'pop'])).toBe(true);
    expect(isGridHeader(['名称', '经度', '纬度'])).toBe(false);
  });
  it('reads shares as fractions or percent, and rejects bad codes', () => {
    const p = parseCensus(
      ['CODE', 'POPU', 'AGES_0', 'AGES_1-4', 'AGES_5-9', 'AGES_10-14', 'AGES_0-14'],
      [
        ['500103', '588717', '0.55', '3.12', '3.96', '3.22', '10.86'],
        ['5001', '1', '0', '0', '0', '0', '0'],
      ],
      [2, 3],
    );
    const want = { ages0: 0.0055, ages1to4: 0.0312, ages5to9: 0.0396, ages10to14: 0.0322, ages0to14: 0.1086 };
    for (const [k, v] of Object.entries(want)) expect(p.rows[0].shares![k as keyof typeof want]).toBeCloseTo(v, 12);
    expect(p.rejected).toEqual([{ row: 3, source_id: '5001', reason: expect.stringMatching(/6-digit/) }]);
  });
  it('builds cells', () => {
    expect(smallestStep([106.55, 106.56, 106.58, 106.55])).toBeCloseTo(0.01, 9);
    const [dLng, dLat] = metresToDegrees(1000, 29.56);
    expect(dLat).toBeCloseTo(0.009044, 5);
    expect(dLng).toBeGreaterThan(dLat);
    expect(squareRing(106.55, 29.56, 0.01, 0.01)).toEqual([
      [106.545, 29.555],
      [106.555, 29.555],
      [106.555, 29.565],
      [106.545, 29.565],
      [106.545, 29.555],
    ]);
  });
});
