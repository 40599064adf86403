/**
 * From database facts to the per-district aggregates the formulas read. Pure: the server
 * selects plain rows (no geometry) and hands them in; the rules that decide what counts
 * (which nursery is a guidance centre, which clinic is a 妇幼保健 institution) live here,
 * in one place, testable without a database.
 *
 * @example
 * const { districts, context } = aggregateIndicatorInputs({ districts: rows, facilities, largeVenues, streets, communities, categoryCounts, venueRecords });
 */
import type { Bilingual } from '../catalogue';
import type { DatasetContext, DistrictAggregates, LargeVenue } from './types';

export interface DistrictFact {
  code: string;
  name_zh: string;
  name_en: string;
  population: number | null;
  children_0_2: number | null;
  children_3_5: number | null;
  children_0_14: number | null;
}

/** One active facility of the categories the formulas read (nursery, kindergarten, special_school, child_health). */
export interface FacilityFact {
  category: string;
  district_code: string | null;
  name_zh: string;
  capacity: number | null;
  ownership: 'public' | 'private' | 'unknown' | string;
  inclusive: boolean | null;
  /** attributes.guidance_centre, as stored (JSON value). */
  guidance_centre?: unknown;
  /** attributes.kind, as stored. */
  kind?: unknown;
  /** attributes.paediatricians, as stored. */
  paediatricians?: unknown;
}

export interface LargeVenueFact extends LargeVenue {
  district_code: string | null;
}

export interface StreetFact {
  code: string;
  name_zh: string;
  district_code: string;
  has_station: boolean;
}

export interface CommunityFact {
  district_code: string;
  total: number;
  child_friendly: number;
}

export interface IndicatorInputs {
  districts: readonly DistrictFact[];
  facilities: readonly FacilityFact[];
  largeVenues: readonly LargeVenueFact[];
  streets: readonly StreetFact[];
  communities: readonly CommunityFact[];
  /** Active facilities per category, city-wide (every category, not only those above). */
  categoryCounts: Readonly<Record<string, number>>;
  /** Venue rows (any size) + facilities carrying floor_area_m2 or daily_visitors. */
  venueRecords: number;
}

/**
 * A demonstration infant-care guidance centre (§五): flagged `attributes.guidance_centre`
 * (true or "true"), or named so (…婴幼儿照护服务指导中心, …托育指导中心).
 */
export function isGuidanceCentre(f: Pick<FacilityFact, 'category' | 'name_zh' | 'guidance_centre'>): boolean {
  if (f.category !== 'nursery') return false;
  if (f.guidance_centre === true || f.guidance_centre === 'true') return true;
  if (f.guidance_centre === false || f.guidance_centre === 'false') return false;
  return f.name_zh.includes('指导中心');
}

/** A maternal-and-child health institution (§十): `attributes.kind = 'mch'`, or 妇幼保健院/所/中心 by name. */
export function isMchInstitution(f: Pick<FacilityFact, 'category' | 'name_zh' | 'kind'>): boolean {
  if (f.category !== 'child_health') return false;
  if (f.kind === 'mch') return true;
  return f.name_zh.includes('妇幼保健');
}

/** A recorded paediatrician count: a finite number ≥ 0 (or a numeric string); anything else is "not recorded". */
export function paediatricianCount(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** A district's aggregates with nothing counted yet (the start of the aggregation; tests build on it). */
export function emptyAggregates(d: DistrictFact): DistrictAggregates {
  return {
    code: d.code,
    name: { zh: d.name_zh, en: d.name_en } satisfies Bilingual,
    population: d.population,
    children_0_2: d.children_0_2,
    children_3_5: d.children_3_5,
    children_0_14: d.children_0_14,
    nursery: { facilities: 0, withCapacity: 0, places: 0, guidanceCentres: 0 },
    kindergarten: {
      facilities: 0,
      withCapacity: 0,
      places: 0,
      inclusiveKnownPlaces: 0,
      inclusivePlaces: 0,
      ownershipKnownPlaces: 0,
      publicPlaces: 0,
    },
    specialSchools: 0,
    childHealth: { facilities: 0, mch: 0, withPaediatricians: 0, paediatricians: 0 },
    largeVenues: [],
    streets: { total: 0, withStation: 0, withoutStation: [] },
    communities: { total: 0, childFriendly: 0 },
  };
}

/**
 * Per-district aggregates (in the order of `inputs.districts`) and the city-wide context.
 * Facts whose district is unknown or not in the list are left out of the districts but
 * still count in `categoryCounts` as the caller gave them. Inputs are not mutated.
 */
export function aggregateIndicatorInputs(inputs: IndicatorInputs): { districts: DistrictAggregates[]; context: DatasetContext } {
  const byCode = new Map<string, DistrictAggregates>();
  const out = inputs.districts.map((d) => {
    const a = emptyAggregates(d);
    byCode.set(d.code, a);
    return a;
  });

  for (const f of inputs.facilities) {
    const a = f.district_code ? byCode.get(f.district_code) : undefined;
    if (!a) continue;
    const cap = f.capacity !== null && Number.isFinite(f.capacity) && f.capacity >= 0 ? f.capacity : null;
    switch (f.category) {
      case 'nursery': {
        a.nursery.facilities++;
        if (cap !== null) {
          a.nursery.withCapacity++;
          a.nursery.places += cap;
        }
        if (isGuidanceCentre(f)) a.nursery.guidanceCentres++;
        break;
      }
      case 'kindergarten': {
        const k = a.kindergarten;
        k.facilities++;
        if (cap === null) break;
        k.withCapacity++;
        k.places += cap;
        if (f.inclusive !== null) {
          k.inclusiveKnownPlaces += cap;
          if (f.inclusive) k.inclusivePlaces += cap;
        }
        if (f.ownership === 'public' || f.ownership === 'private') {
          k.ownershipKnownPlaces += cap;
          if (f.ownership === 'public') k.publicPlaces += cap;
        }
        break;
      }
      case 'special_school':
        a.specialSchools++;
        break;
      case 'child_health': {
        const h = a.childHealth;
        h.facilities++;
        if (isMchInstitution(f)) h.mch++;
        const docs = paediatricianCount(f.paediatricians);
        if (docs !== null) {
          h.withPaediatricians++;
          h.paediatricians += docs;
        }
        break;
      }
      default:
        break;
    }
  }

  for (const v of inputs.largeVenues) {
    const a = v.district_code ? byCode.get(v.district_code) : undefined;
    if (!a) continue;
    const { district_code: _d, ...venue } = v;
    a.largeVenues.push(venue);
  }

  for (const s of inputs.streets) {
    const a = byCode.get(s.district_code);
    if (!a) continue;
    a.streets.total++;
    if (s.has_station) a.streets.withStation++;
    else a.streets.withoutStation.push({ code: s.code, name_zh: s.name_zh });
  }

  let communityRecords = 0;
  for (const c of inputs.communities) {
    communityRecords += c.total;
    const a = byCode.get(c.district_code);
    if (!a) continue;
    a.communities.total += c.total;
    a.communities.childFriendly += c.child_friendly;
  }

  const context: DatasetContext = {
    cityFacilities: { ...inputs.categoryCounts },
    venueRecords: inputs.venueRecords,
    streetRecords: inputs.streets.length,
    communityRecords,
  };
  return { districts: out, context };
}
