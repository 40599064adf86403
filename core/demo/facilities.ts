/**
 * The synthetic facilities of the demo dataset: deterministic for a seed, plausible in
 * number (./rates.ts), place (./placement.ts) and name (./names.ts), and labelled
 * `source: 'demo'` everywhere. Pure: districts and townships in, records out.
 *
 * Each district draws from its own random stream keyed by `seed:code`, so changing one
 * district's inputs leaves the others' facilities unchanged (smaller diffs on rebuild).
 *
 * @example
 * const facilities = generateDemoFacilities({ districts, townships, seed: DEMO_SEED });
 */
import { CATEGORY_IDS, categoryById, type CategoryId } from '../catalogue';
import type { Amenities, Ownership } from '../api';
import type { LngLat } from '../datum';
import { createRng, seedFromString, type Rng } from '../random';
import { createNamer, type MotherBabyVenue } from './names';
import { planAnchors, placePoint, sampleAround, townshipFromName, type DistrictAnchors, type Township } from './placement';
import { createDistrictIndex, bboxOf, type Polygons } from './pip';
import { facilityCounts } from './rates';

/** The seed of the demo dataset: the census reference date, 2020-11-01. */
export const DEMO_SEED = 20_201_101;
/** Version of the demo dataset; bump when the generator's output changes on purpose. */
export const DEMO_VERSION = 1;

/** One synthetic facility as stored in data/demo/facilities.json. */
export interface DemoFacility {
  source: 'demo';
  /** `demo-<category>-<n>`, n counting from 1 per category across the whole city. */
  source_id: string;
  category: CategoryId;
  name_zh: string;
  name_en: string;
  address: string;
  district_code: string;
  /** [lng, lat], WGS84, 6 decimals. */
  point: LngLat;
  opening_hours: string;
  capacity: number | null;
  age_min_years: number;
  age_max_years: number | null;
  ownership: Ownership;
  /** 普惠 kindergarten/nursery; null where it does not apply. */
  inclusive: boolean | null;
  amenities: Amenities;
  attributes: { venue?: MotherBabyVenue };
}

export interface DemoDistrictInput {
  code: string;
  nameZh: string;
  nameEn: string;
  centralUrban: boolean;
  labelPoint: LngLat;
  areaKm2: number;
  population: number;
  urbanShare: number;
  /** MultiPolygon coordinates, WGS84. */
  polygons: Polygons;
}

export interface DemoTownshipInput {
  code: string;
  name: string;
  districtCode: string;
}

/**
 * How much more (or less) urban a category is than the district's population:
 * P(urban) = urban share + bias, clamped to [0, 1]. Mother-and-baby rooms sit in malls
 * and stations, nurseries are an urban market; village schools pull primaries rural.
 */
export const URBAN_BIAS: Readonly<Record<CategoryId, number>> = {
  playground: 0.05,
  mother_baby_room: 0.3,
  nursery: 0.15,
  kindergarten: 0,
  primary_school: -0.05,
  middle_school: 0.05,
  special_school: 1,
  park: 0.1,
  library: 0.2,
  child_health: 0.1,
  protection_station: 0,
  activity_centre: 0.2,
};

/** Capacity ranges (places or pupils); null = not meaningful for the category. */
export const CAPACITY_RANGE: Readonly<Partial<Record<CategoryId, { min: number; max: number; step: number }>>> = {
  nursery: { min: 20, max: 150, step: 5 },
  kindergarten: { min: 90, max: 450, step: 30 }, // classes of ~30 (幼儿园工作规程: 25–35 per class)
  primary_school: { min: 600, max: 2500, step: 45 }, // classes of 45
  middle_school: { min: 800, max: 2500, step: 50 }, // classes of 50
  special_school: { min: 60, max: 300, step: 12 }, // classes of 8–12
};

/** Opening hours in OpenStreetMap `opening_hours` syntax. */
function openingHours(category: CategoryId, rng: Rng, k: number, venue?: MotherBabyVenue): string {
  switch (category) {
    case 'playground':
    case 'park':
      return rng.chance(0.5) ? '24/7' : '06:00-22:00';
    case 'mother_baby_room':
      return venue === 'mall' ? '10:00-22:00' : venue === 'station' ? '06:30-22:30' : venue === 'hospital' ? '24/7' : '06:00-22:00';
    case 'nursery':
      return rng.chance(0.7) ? 'Mo-Fr 07:30-18:00' : 'Mo-Sa 07:30-18:00';
    case 'kindergarten':
      return 'Mo-Fr 07:30-17:30';
    case 'primary_school':
      return 'Mo-Fr 07:40-17:00';
    case 'middle_school':
      return 'Mo-Fr 07:10-18:00';
    case 'special_school':
      return 'Mo-Fr 08:00-17:00';
    case 'library':
      return 'Tu-Su 09:00-17:00';
    case 'child_health':
      return k === 1 ? '24/7' : 'Mo-Su 08:00-17:30';
    case 'protection_station':
      return 'Mo-Fr 09:00-12:00,14:00-17:30';
    case 'activity_centre':
      return k === 1 ? 'Tu-Su 09:00-18:00' : 'Mo-Fr 16:00-19:00; Sa,Su 09:00-17:00';
  }
}

function capacity(category: CategoryId, rng: Rng, urban: boolean): number | null {
  const r = CAPACITY_RANGE[category];
  if (!r) return null;
  // urban institutions skew large (√u, mean 2/3), rural ones small (u², mean 1/3)
  const u = urban ? Math.sqrt(rng.next()) : rng.next() ** 2;
  const steps = Math.floor((r.max - r.min) / r.step);
  return r.min + Math.round(u * steps) * r.step;
}

function ownershipOf(category: CategoryId, rng: Rng, k: number, venue?: MotherBabyVenue): Ownership {
  switch (category) {
    case 'kindergarten':
      return rng.chance(0.5) ? 'public' : 'private'; // about half public (公办) in Chongqing
    case 'nursery':
      return rng.chance(0.25) ? 'public' : 'private'; // 托育 is mostly private
    case 'primary_school':
      return rng.chance(0.95) ? 'public' : 'private';
    case 'middle_school':
      return rng.chance(0.9) ? 'public' : 'private';
    case 'child_health':
      return k <= 2 || rng.chance(0.9) ? 'public' : 'private';
    case 'mother_baby_room':
      return venue === 'mall' ? 'private' : 'public';
    default:
      return 'public';
  }
}

/**
 * 普惠 (inclusive): every public kindergarten/nursery, plus 70 % of private kindergartens
 * and 20 % of private nurseries, giving ≈ 85 % and ≈ 40 % overall (the plan's 普惠率
 * target for kindergartens is ≥ 80 %); null for other categories.
 */
function inclusiveOf(category: CategoryId, ownership: Ownership, rng: Rng): boolean | null {
  if (category === 'kindergarten') return ownership === 'public' || rng.chance(0.7);
  if (category === 'nursery') return ownership === 'public' || rng.chance(0.2);
  return null;
}

function amenitiesOf(category: CategoryId, rng: Rng): Amenities {
  if (category === 'mother_baby_room') {
    return { changing_table: rng.chance(0.95), nursing_room: true, accessible_entrance: rng.chance(0.8) };
  }
  if (category === 'park') return { childrens_area: rng.chance(0.5) };
  return {};
}

function pickVenue(rng: Rng, central: boolean): MotherBabyVenue {
  // stations only where there is a metro: the central districts (CRT lines 1–10 …)
  const venues: MotherBabyVenue[] = ['mall', 'station', 'hospital', 'park'];
  return venues[rng.weightedIndex([0.4, central ? 0.2 : 0, 0.25, 0.15])];
}

/** Institutions that sit at the district seat: the first library, 妇幼保健院, hospital, 青少年宫, special school. */
function atSeat(category: CategoryId, k: number): boolean {
  return (
    category === 'special_school' ||
    (category === 'library' && k === 1) ||
    (category === 'child_health' && k <= 2) ||
    (category === 'activity_centre' && k === 1)
  );
}

/** Protection stations go to 街道 first, then 镇, then 乡, in code order (plan §二十六 rolls out from the city). */
function stationTownships(townships: readonly Township[], n: number): Township[] {
  const rank = { street: 0, town: 1, township: 2 } as const;
  return [...townships].sort((a, b) => rank[a.kind] - rank[b.kind] || a.code.localeCompare(b.code)).slice(0, n);
}

export interface GenerateOptions {
  districts: readonly DemoDistrictInput[];
  townships: readonly DemoTownshipInput[];
  seed: number;
}

/**
 * Generate the demo facilities. Every point lies inside its own district and no other
 * (tested with the same polygons that are shipped). Output is sorted by category then
 * district then name-order, and `source_id`s are numbered in that order.
 */
export function generateDemoFacilities(opts: GenerateOptions): DemoFacility[] {
  const index = createDistrictIndex(opts.districts.map((d) => ({ code: d.code, polygons: d.polygons })));
  const townshipsByDistrict = new Map<string, Township[]>();
  for (const t of opts.townships) {
    const list = townshipsByDistrict.get(t.districtCode) ?? [];
    list.push(townshipFromName(t.code, t.name));
    townshipsByDistrict.set(t.districtCode, list);
  }

  type Draft = Omit<DemoFacility, 'source_id'>;
  const drafts: Draft[] = [];
  const districts = [...opts.districts].sort((a, b) => a.code.localeCompare(b.code));
  for (const d of districts) {
    const rng = createRng(seedFromString(`${opts.seed}:${d.code}`));
    const accept = (p: LngLat) => index.insideOnly(d.code, p);
    const townships = [...(townshipsByDistrict.get(d.code) ?? [])].sort((a, b) => a.code.localeCompare(b.code));
    const anchors: DistrictAnchors = planAnchors(
      rng.fork(),
      {
        code: d.code,
        centralUrban: d.centralUrban,
        labelPoint: d.labelPoint,
        areaKm2: d.areaKm2,
        urbanShare: d.urbanShare,
        bbox: bboxOf(d.polygons),
      },
      townships,
      accept,
    );
    const namer = createNamer({ code: d.code, nameZh: d.nameZh, nameEn: d.nameEn });
    const counts = facilityCounts({ code: d.code, population: d.population, townshipCount: townships.length });
    const seatAnchor = anchors.urban[anchors.urban.length - 1];
    const fallbackPlace = townships[0]?.short ?? d.nameZh.slice(0, 2);
    const streetName = (r: Rng) => (anchors.streets.length ? r.pick(anchors.streets).short : fallbackPlace);
    const stations = stationTownships(townships, counts.protection_station);

    for (const category of CATEGORY_IDS) {
      const crng = createRng(seedFromString(`${opts.seed}:${d.code}:${category}`));
      const cat = categoryById(category);
      for (let k = 1; k <= counts[category]; k++) {
        let point: LngLat;
        let urban: boolean;
        let township: Township | undefined;
        if (atSeat(category, k)) {
          point = sampleAround(crng, seatAnchor.centre, Math.min(seatAnchor.sigmaKm, 1.5), accept, 1000) ?? d.labelPoint;
          urban = true;
        } else if (category === 'protection_station' && stations[k - 1]) {
          const t = stations[k - 1];
          const rural = anchors.rural.find((a) => a.township?.code === t.code);
          const placed = rural ? sampleAround(crng, rural.centre, rural.sigmaKm, accept) : null;
          if (placed) {
            point = placed;
            urban = false;
          } else {
            point = placePoint(crng, anchors, 1, accept).point;
            urban = true;
          }
          township = t;
        } else {
          const pUrban = Math.min(1, Math.max(0, d.urbanShare + URBAN_BIAS[category]));
          const placed = placePoint(crng, anchors, pUrban, accept);
          point = placed.point;
          urban = placed.urban;
          township = placed.township;
        }
        const place = township?.short ?? streetName(crng);
        const venue = category === 'mother_baby_room' ? pickVenue(crng, d.centralUrban) : undefined;
        const ownership = ownershipOf(category, crng, k, venue);
        const name = namer.name({
          category,
          place,
          townshipName: township?.name,
          publicOwned: ownership === 'public',
          rural: township ? township.kind !== 'street' : false,
          venue,
          rng: crng,
        });
        drafts.push({
          source: 'demo',
          category,
          name_zh: name.zh,
          name_en: name.en,
          address: namer.address(place, crng),
          district_code: d.code,
          point,
          opening_hours: openingHours(category, crng, k, venue),
          capacity: capacity(category, crng, urban),
          age_min_years: cat.ageYears[0],
          age_max_years: cat.ageYears[1],
          ownership,
          inclusive: inclusiveOf(category, ownership, crng),
          amenities: amenitiesOf(category, crng),
          attributes: venue ? { venue } : {},
        });
      }
    }
  }

  const order = new Map(CATEGORY_IDS.map((c, i) => [c, i]));
  const sorted = drafts
    .map((f, i) => ({ f, i }))
    .sort((a, b) => order.get(a.f.category)! - order.get(b.f.category)! || a.i - b.i)
    .map((x) => x.f);
  const perCategory = new Map<CategoryId, number>();
  return sorted.map((f) => {
    const n = (perCategory.get(f.category) ?? 0) + 1;
    perCategory.set(f.category, n);
    const { source, ...rest } = f;
    return { source, source_id: `demo-${f.category}-${n}`, ...rest };
  });
}
