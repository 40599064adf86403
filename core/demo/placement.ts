/**
 * Where synthetic facilities go: dense where people live, not spread evenly over the
 * mountains. Pure functions; randomness comes from a seeded {@link Rng}.
 *
 * The model, per district:
 * - **Urban** facilities (a share equal to the census urban share, plus a per-category
 *   bias) fall around *urban anchors* with a normal spread: the district seat (its label
 *   point, which for ECharts data is the seat's `cp`) with a spread that grows with the
 *   district's area and shrinks with its urban share; for the nine central districts also
 *   the main urban area around 解放碑/大坪 (106.55, 29.56), which takes most of their
 *   points, so that 江北, 南岸, 沙坪坝… fill in towards the rivers' confluence.
 * - **Rural** facilities fall around *township anchors*: one synthetic seat per real
 *   镇/乡 of the district (official 2023 list), placed at random inside the district, with a
 *   spread of {@link TOWNSHIP_SIGMA_KM}. Real township seats are not in any open source we
 *   have, so these are synthetic, but it gives the clustered pattern of rural China.
 * Every point is rejection-sampled to lie inside its own district (and no other).
 *
 * @example
 * const plan = planAnchors(rng, district, townships, inside);
 * const { point } = placePoint(rng, plan, 0.8, inside);
 */
import type { Rng } from '../random';
import type { LngLat } from '../datum';
import { round6 } from './districts';

/** Centre of Chongqing's main urban area (渝中 peninsula / 大坪), WGS84. */
export const MAIN_URBAN_CORE: LngLat = [106.55, 29.56];
/** Spread of the main urban area: the built-up core between the 缙云山 and 铜锣山 ridges lies within ~12 km (2σ). */
export const MAIN_URBAN_SIGMA_KM = 6;
/** Share of a central district's urban facilities drawn around the main core (the rest around its own seat). */
export const CENTRAL_CORE_WEIGHT = 0.6;
/** Spread of a township seat's cluster: a market town is 1–3 km across. */
export const TOWNSHIP_SIGMA_KM = 1.2;
/** Bounds of a district seat's spread, km. */
export const SEAT_SIGMA_MIN_KM = 0.8;
export const SEAT_SIGMA_MAX_KM = 6;
/** A central district's own centre is a city quarter several km across, not a county town. */
export const CENTRAL_SEAT_SIGMA_MIN_KM = 2;

/** Kilometres per degree of latitude (WGS84 mean, good to 0.5 % anywhere). */
const KM_PER_DEG_LAT = 110.574;
/** Kilometres per degree of longitude at the equator (WGS84). */
const KM_PER_DEG_LNG_EQUATOR = 111.32;

export type TownshipKind = 'street' | 'town' | 'township';

/** A 街道 (street), 镇 (town) or 乡 (township), from the official code list. */
export interface Township {
  code: string;
  /** Full official name, e.g. 大坪街道, 地宝土家族乡. */
  name: string;
  /** Place name without the administrative suffix, e.g. 大坪, 地宝. */
  short: string;
  kind: TownshipKind;
}

export interface Anchor {
  centre: LngLat;
  sigmaKm: number;
  weight: number;
  /** The township a rural anchor stands for. */
  township?: Township;
}

export interface DistrictAnchors {
  urban: Anchor[];
  rural: Anchor[];
  /** 街道 of the district, for naming urban facilities. */
  streets: Township[];
}

export interface DistrictForPlacement {
  code: string;
  centralUrban: boolean;
  /** Seat / label point, WGS84, inside the district. */
  labelPoint: LngLat;
  areaKm2: number;
  urbanShare: number;
  /** [minLng, minLat, maxLng, maxLat] of the district. */
  bbox: [number, number, number, number];
}

/** True when a candidate point is acceptable (inside its district and no other). */
export type Accept = (p: LngLat) => boolean;

/**
 * The normal spread (σ, km) of urban facilities around a district seat: grows with the
 * square root of the area (a linear size) and falls as the urban share rises (a highly
 * urban district is a compact city), clamped to [0.8, 6] km.
 *
 * @example
 * seatSigmaKm(3458.8, 0.6892); // 万州 ≈ 2.4 km
 */
export function seatSigmaKm(areaKm2: number, urbanShare: number): number {
  const s = 0.05 * Math.sqrt(areaKm2) * (1.5 - urbanShare);
  return Math.min(SEAT_SIGMA_MAX_KM, Math.max(SEAT_SIGMA_MIN_KM, s));
}

/** A point `dxKm` east and `dyKm` north of `centre` (equirectangular; fine below ~50 km). */
export function offsetKm(centre: LngLat, dxKm: number, dyKm: number): LngLat {
  const kmPerDegLng = KM_PER_DEG_LNG_EQUATOR * Math.cos((centre[1] * Math.PI) / 180);
  return [centre[0] + dxKm / kmPerDegLng, centre[1] + dyKm / KM_PER_DEG_LAT];
}

/**
 * A point drawn from an isotropic normal around `centre`, rounded to 6 decimals, that
 * `accept` accepts; `null` after `maxTries` rejections.
 */
export function sampleAround(rng: Rng, centre: LngLat, sigmaKm: number, accept: Accept, maxTries = 200): LngLat | null {
  for (let i = 0; i < maxTries; i++) {
    const p = offsetKm(centre, rng.normal(0, sigmaKm), rng.normal(0, sigmaKm));
    const q: LngLat = [round6(p[0]), round6(p[1])];
    if (accept(q)) return q;
  }
  return null;
}

/** A point uniform in `bbox` (in degrees) that `accept` accepts; `null` after `maxTries`. */
export function sampleInBbox(rng: Rng, bbox: readonly [number, number, number, number], accept: Accept, maxTries = 2000): LngLat | null {
  for (let i = 0; i < maxTries; i++) {
    const q: LngLat = [round6(rng.uniform(bbox[0], bbox[2])), round6(rng.uniform(bbox[1], bbox[3]))];
    if (accept(q)) return q;
  }
  return null;
}

/**
 * The anchors of one district (see the module comment). Township anchors are placed
 * uniformly inside the district; a district with no 镇/乡 gets one wide anchor at its seat.
 */
export function planAnchors(rng: Rng, d: DistrictForPlacement, townships: readonly Township[], accept: Accept): DistrictAnchors {
  const seatSigma = seatSigmaKm(d.areaKm2, d.urbanShare);
  const urban: Anchor[] = d.centralUrban
    ? [
        { centre: MAIN_URBAN_CORE, sigmaKm: MAIN_URBAN_SIGMA_KM, weight: CENTRAL_CORE_WEIGHT },
        { centre: d.labelPoint, sigmaKm: Math.max(CENTRAL_SEAT_SIGMA_MIN_KM, seatSigma), weight: 1 - CENTRAL_CORE_WEIGHT },
      ]
    : [{ centre: d.labelPoint, sigmaKm: seatSigma, weight: 1 }];
  const rural: Anchor[] = [];
  for (const t of townships) {
    if (t.kind === 'street') continue;
    const centre = sampleInBbox(rng, d.bbox, accept) ?? d.labelPoint;
    rural.push({ centre, sigmaKm: TOWNSHIP_SIGMA_KM, weight: 1, township: t });
  }
  if (rural.length === 0) {
    // e.g. 渝中: all 街道; "rural" facilities then spread a little wider around the seat
    rural.push({ centre: d.labelPoint, sigmaKm: seatSigma * 2, weight: 1 });
  }
  return { urban, rural, streets: townships.filter((t) => t.kind === 'street') };
}

export interface Placed {
  point: LngLat;
  urban: boolean;
  /** The township the point is named after (rural anchors), if any. */
  township?: Township;
}

/**
 * Place one facility: urban with probability `pUrban`, then around an anchor chosen by
 * weight. Falls back to the other anchors, and finally to the seat itself, so it always
 * returns a point (the seat is inside the district by construction).
 */
export function placePoint(rng: Rng, anchors: DistrictAnchors, pUrban: number, accept: Accept): Placed {
  const urban = rng.chance(pUrban);
  const first = urban ? anchors.urban : anchors.rural;
  const a = first[rng.weightedIndex(first.map((x) => x.weight))];
  const p = sampleAround(rng, a.centre, a.sigmaKm, accept);
  if (p) return { point: p, urban, township: a.township };
  // The core anchor of a district that only touches the core (北碚, 巴南) can reject a lot:
  // fall back to the district's own seat.
  const seat = anchors.urban[anchors.urban.length - 1];
  const q = sampleAround(rng, seat.centre, seat.sigmaKm, accept, 1000);
  return { point: q ?? [round6(seat.centre[0]), round6(seat.centre[1])], urban: true };
}

/**
 * The official suffixes of township-level names, longest first. 民族乡 (ethnic townships)
 * name their nationalities before 乡 (石桥苗族土家族乡); Chongqing's are 土家, 苗 and 仡佬,
 * plus a few others for safety. An explicit list, because "any 1–2 characters + 族" would
 * also swallow the place name's last character (石[桥苗族]…).
 */
const SUFFIX =
  /(街道|(?:土家|苗|仡佬|回|蒙古|彝|藏|壮|布依|侗|瑶|白|满)族(?:(?:土家|苗|仡佬|回|蒙古|彝|藏|壮|布依|侗|瑶|白|满)族)*乡|镇|乡)$/u;

/**
 * A {@link Township} from an official name: kind from the suffix, short name without it
 * (kept whole when stripping would leave fewer than 2 characters).
 *
 * @example
 * townshipFromName('500242', '浩口苗族仡佬族乡'); // { short: '浩口', kind: 'township', … }
 */
export function townshipFromName(code: string, name: string): Township {
  const kind: TownshipKind = name.endsWith('街道') ? 'street' : name.endsWith('镇') ? 'town' : 'township';
  const stripped = name.replace(SUFFIX, '');
  return { code, name, short: stripped.length >= 2 ? stripped : name, kind };
}
