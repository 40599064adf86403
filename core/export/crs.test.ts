import { describe, expect, it } from 'vitest';
import gcoord from 'gcoord';
import { EXPORT_CRS, EXPORT_CRS_IDS, lngLatToWebMercator, projectLngLat, roundTo, webMercatorToLngLat, WEB_MERCATOR_MAX_LAT } from './crs';

describe('Web Mercator (EPSG:3857)', () => {
  it('puts the antimeridian and the edge latitude at ±20 037 508.34 m', () => {
    // EPSG:3857's extent: ±20037508.342789244 m on both axes (π × 6 378 137)
    expect(lngLatToWebMercator([180, 0])[0]).toBeCloseTo(20037508.342789244, 6);
    expect(lngLatToWebMercator([-180, 0])[0]).toBeCloseTo(-20037508.342789244, 6);
    expect(lngLatToWebMercator([0, WEB_MERCATOR_MAX_LAT])[1]).toBeCloseTo(20037508.342789244, 3);
    expect(lngLatToWebMercator([0, 0])[0]).toBe(0);
    expect(Math.abs(lngLatToWebMercator([0, 0])[1])).toBeLessThan(1e-6);
    expect(projectLngLat([0, 0], 'webmercator')).toEqual([0, 0]);
  });

  it('clamps latitudes beyond the square', () => {
    expect(lngLatToWebMercator([0, 89.9])).toEqual(lngLatToWebMercator([0, WEB_MERCATOR_MAX_LAT]));
    expect(Number.isFinite(lngLatToWebMercator([0, -90])[1])).toBe(true);
  });

  it('matches PROJ at Chongqing to the millimetre (value from `gdaltransform -s_srs EPSG:4326 -t_srs EPSG:3857`)', () => {
    // echo "106.55 29.56" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:3857 → 11861091.7440233 3447116.4051335
    const [x, y] = lngLatToWebMercator([106.55, 29.56]);
    expect(Math.abs(x - 11861091.7440233)).toBeLessThan(0.001);
    expect(Math.abs(y - 3447116.4051335)).toBeLessThan(0.001);
  });

  it('round-trips within a micrometre over China', () => {
    for (const p of [
      [106.55, 29.56],
      [73.5, 39.4],
      [135.0, 48.4],
      [110.2, 18.2],
    ] as [number, number][]) {
      const back = webMercatorToLngLat(lngLatToWebMercator(p));
      expect(Math.abs(back[0] - p[0])).toBeLessThan(1e-11);
      expect(Math.abs(back[1] - p[1])).toBeLessThan(1e-11);
    }
  });
});

describe('projectLngLat', () => {
  const p: [number, number] = [106.5512345678912, 29.5612345678912];

  it('leaves WGS84 and CGCS2000 numbers as they are, rounded to 1e-8° (≈ 1 mm)', () => {
    expect(projectLngLat(p, 'wgs84')).toEqual([106.55123457, 29.56123457]);
    expect(projectLngLat(p, 'cgcs2000')).toEqual(projectLngLat(p, 'wgs84'));
  });

  it('writes Web Mercator in millimetres', () => {
    const [x, y] = projectLngLat(p, 'webmercator');
    expect(x).toBe(roundTo(x, 3));
    expect(y).toBe(roundTo(y, 3));
  });

  it('GCJ-02 and BD-09 agree with gcoord’s reference transform within 1e-8°', () => {
    for (const [crs, target] of [
      ['gcj02', gcoord.GCJ02],
      ['bd09', gcoord.BD09],
    ] as const) {
      const want = gcoord.transform([p[0], p[1]], gcoord.WGS84, target);
      const got = projectLngLat(p, crs);
      expect(Math.abs(got[0] - want[0])).toBeLessThanOrEqual(5e-9);
      expect(Math.abs(got[1] - want[1])).toBeLessThanOrEqual(5e-9);
    }
  });

  it('does not touch its input', () => {
    const q: [number, number] = [106.55, 29.56];
    const copy = [...q];
    for (const id of EXPORT_CRS_IDS) projectLngLat(q, id);
    expect(q).toEqual(copy);
  });

  it('writes -0 as 0', () => {
    expect(Object.is(roundTo(-0.000000001, 8), 0)).toBe(true);
  });
});

describe('CRS definitions', () => {
  it('name EPSG codes where they exist and say GCJ-02/BD-09 have none', () => {
    expect(EXPORT_CRS_IDS.map((id) => EXPORT_CRS[id].epsg)).toEqual([4326, 4490, 3857, null, null]);
    for (const id of EXPORT_CRS_IDS) {
      const c = EXPORT_CRS[id];
      if (c.epsg) expect(c.ogcWkt).toMatch(new RegExp(`AUTHORITY\\["EPSG","${c.epsg}"\\]\\]$`));
      expect(c.esriWkt).toMatch(c.projected ? /^PROJCS\[/ : /^GEOGCS\[/);
      expect(c.note.zh.length).toBeGreaterThan(10);
      expect(c.note.en.length).toBeGreaterThan(10);
    }
    expect(EXPORT_CRS.gcj02.ogcWkt).toContain('GCJ-02');
    expect(EXPORT_CRS.gcj02.ogcWkt).toContain('TOWGS84[0,0,0,0,0,0,0]');
    expect(EXPORT_CRS.gcj02.esriWkt).toContain('GCS_GCJ_02');
    expect(EXPORT_CRS.cgcs2000.note.en).toMatch(/same numbers as in a WGS 84 export/);
  });

  it('give the offset datums GeoPackage srs ids that clash with no EPSG code in use here', () => {
    const ids = EXPORT_CRS_IDS.map((id) => EXPORT_CRS[id].gpkg.srsId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((i) => i > 900000)).toEqual([990002, 990009]);
  });
});
