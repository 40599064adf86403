import { describe, expect, it } from 'vitest';
import { gridSampler, looksLikeElevation, projDefinition, riseFall, sampleLine } from './dem';

describe('DEM helpers', () => {
  it('knows UTM north/south, WGS84, CGCS2000, Web Mercator and CGCS2000 Gauss-Krüger', () => {
    expect(projDefinition(32648)).toBe('+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs');
    expect(projDefinition(32733)).toContain('+zone=33 +south');
    expect(projDefinition(4326)).toContain('longlat');
    expect(projDefinition(4490)).toContain('longlat');
    expect(projDefinition(3857)).toContain('+proj=merc');
    expect(projDefinition(4544)).toContain('+lon_0=105');
    expect(projDefinition(2154)).toBeNull();
  });
  it('samples bilinearly, NaN outside and on nodata', () => {
    // 3 × 2 pixels of 10 m, origin (0, 20), north-up; identity projection
    const grid = { width: 3, height: 2, data: [0, 10, 20, 100, 110, -32768], originX: 0, originY: 20, resX: 10, resY: -10, noData: -32768 };
    const at = gridSampler(grid, (p) => p);
    expect(at(5, 15)).toBe(0); // first pixel centre
    expect(at(10, 15)).toBe(5);
    expect(at(10, 10)).toBe(55); // between four centres
    expect(at(20, 10)).toBeNaN(); // touches the nodata pixel
    expect(at(-1, 15)).toBeNaN();
  });
  it('profiles: every ≤ spacing metres, ends only for bridges; rise and fall', () => {
    const line = [106.55, 29.56, 106.55 + 100 / 96_860, 29.56];
    const ramp = (lng: number) => ((lng - 106.55) * 96_860) / 10; // 10 % climb eastwards
    const p = sampleLine(line, 0, 1, 15, (lng) => ramp(lng))!;
    expect(p.length).toBe(8); // ceil(100 / 15) + 1
    expect(p[0]).toBe(0);
    expect(p[7]).toBeCloseTo(10, 1);
    expect(sampleLine(line, 0, 1, 15, ramp, true)!.length).toBe(2);
    expect(sampleLine(line, 0, 1, 15, () => NaN)).toBeNull();
    expect(riseFall([0, 5, 3, 8])).toEqual({ riseM: 10, fallM: 2 });
  });
  it('tells elevation rasters from population rasters', () => {
    const base = { fileName: 'chn_ppp_2020.tif', projected: false, sampleFormat: 3, noData: -99999, metadata: '' };
    expect(looksLikeElevation(base)).toBe(false); // WorldPop persons per pixel
    expect(looksLikeElevation({ ...base, fileName: 'yuzhong_elevation_utm48n.tif' })).toBe(true);
    expect(looksLikeElevation({ ...base, fileName: 'n29_e106.tif', sampleFormat: 2, noData: -32768 })).toBe(true);
    expect(looksLikeElevation({ ...base, projected: true })).toBe(true);
    expect(looksLikeElevation({ ...base, metadata: '<Item name="UnitType">elevation</Item>' })).toBe(true);
  });
});
