/**
 * From the records of a register (spreadsheet rows or GeoJSON features) to validated
 * facilities and rejections. Every bad row is named by its row number with a reason a
 * clerk can act on; good rows go on. Pure: no I/O, the caller reads and decodes files.
 *
 * Checks, in order: id (duplicates rejected — the first occurrence wins), name,
 * category (`--category` for a whole file, or the column, in Chinese or English),
 * coordinates (present, numeric, in range, not swapped, inside the city extent after
 * datum conversion — core/import/coordinates.ts), then the optional columns (capacity,
 * ages, ownership, 普惠, date), each rejected if present but unreadable.
 *
 * Without an id column the id is derived from category + name + address
 * (`k:` + a 53-bit hash), so re-importing the same list still matches rows; renaming a
 * facility then makes a new one (and `--full` retires the old).
 *
 * @example
 * facilitiesFromRecords(records, { crs: 'gcj02', extent: DEFAULT_EXTENT });
 */
import type { CategoryId } from '../catalogue';
import { toWgs84, type Crs } from '../datum';
import type { Ownership } from '../api';
import { checkLngLat, parseDegrees, type Bbox } from './coordinates';
import type { FacilityField } from './columns';
import type { FacilityInput, Geometry2D, Rejection } from './types';
import {
  ageFromText,
  booleanFromText,
  categoryFromText,
  categoryHint,
  dateFromText,
  ownershipFromText,
  wholeNumberFromText,
} from './values';
import { pointOnSurface, roundCoord } from '../osm/geometry';

/** One row or feature, whatever the file format. */
export interface FacilityRecord {
  /** Row number as the user sees it (spreadsheet row, or feature index + 1 for GeoJSON). */
  row: number;
  /** Field values as text ('' or missing = empty). */
  fields: Partial<Record<FacilityField, string>>;
  /** Unrecognised columns/properties, kept in `attributes`. */
  extra: Record<string, unknown>;
  /** GeoJSON geometry in the file's datum (Point, Polygon, MultiPolygon), when the record has one. */
  geometry?: { type: string; coordinates: unknown } | null;
}

export interface RecordOptions {
  crs: Crs;
  /** WGS84 box the facilities must fall in; null skips the check. */
  extent: Bbox | null;
  /** One category for the whole file (`--category`). */
  category?: CategoryId;
}

export interface RecordsResult {
  facilities: FacilityInput[];
  rejected: Rejection[];
  /** Every id met in the file, good or bad (so `--full` does not retire a row that is only malformed today). */
  seenIds: string[];
}

/** cyrb53 (public domain, bryc): a fast 53-bit string hash, for derived ids. */
export function hash53(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** "12.0" → "12" (Excel turns numeric ids into floats); other text trimmed. */
function idText(v: string): string {
  const s = v.trim();
  return /^\d+\.0+$/.test(s) ? s.replace(/\.0+$/, '') : s;
}

export function facilitiesFromRecords(records: Iterable<FacilityRecord>, opts: RecordOptions): RecordsResult {
  const facilities: FacilityInput[] = [];
  const rejected: Rejection[] = [];
  const seenIds: string[] = [];
  const firstRowOfId = new Map<string, number>();

  for (const rec of records) {
    const f = rec.fields;
    const get = (k: FacilityField) => (f[k] ?? '').trim();
    const reject = (code: Rejection['code'], reason: string, id: string | null) =>
      rejected.push({ row: rec.row, source_id: id, code, reason });

    const name = get('name');
    const categoryText = get('category');
    const category = opts.category ?? (categoryText ? categoryFromText(categoryText) : undefined);
    const id = get('source_id') ? idText(get('source_id')) : `k:${hash53(`${category ?? categoryText}|${name}|${get('address')}`)}`;

    const first = firstRowOfId.get(id);
    if (first !== undefined) {
      reject('duplicate_id', `duplicate id "${id}" (first seen at row ${first}; ids must be unique within a file)`, id);
      continue;
    }
    firstRowOfId.set(id, rec.row);
    seenIds.push(id);

    if (!name) {
      reject('missing_name', 'missing name (column 名称/name is empty)', id);
      continue;
    }
    if (!category) {
      reject(
        'unknown_category',
        categoryText
          ? `unknown category "${categoryText}" (accepted: ${categoryHint()})`
          : 'no category: the 类别/category cell is empty and no --category was given',
        id,
      );
      continue;
    }

    // position: GeoJSON geometry, or lng/lat columns, or one "lng,lat" column
    let lngIn: number | null;
    let latIn: number | null;
    let footprintIn: Geometry2D | null = null;
    const g = rec.geometry;
    if (g && g.type === 'Point' && Array.isArray(g.coordinates)) {
      [lngIn, latIn] = g.coordinates as [number, number];
    } else if (g && (g.type === 'Polygon' || g.type === 'MultiPolygon')) {
      footprintIn = g as Geometry2D;
      [lngIn, latIn] = pointOnSurface(g.coordinates as never);
    } else if (g) {
      reject('no_geometry', `geometry type ${g.type} is not supported (Point, Polygon or MultiPolygon)`, id);
      continue;
    } else if (get('lnglat') && !get('lng') && !get('lat')) {
      const parts = get('lnglat')
        .split(/[,，;\s]+/)
        .filter(Boolean);
      lngIn = parseDegrees(parts[0]);
      latIn = parts.length > 1 ? parseDegrees(parts[1]) : null;
    } else {
      lngIn = parseDegrees(get('lng'));
      latIn = parseDegrees(get('lat'));
    }
    const pos = checkLngLat(lngIn ?? null, latIn ?? null, opts.crs, opts.extent);
    if (!pos.ok) {
      reject(pos.code, pos.reason, id);
      continue;
    }

    const bad: string[] = [];
    const capacity = wholeNumberFromText(get('capacity'));
    if (capacity === undefined) bad.push(`capacity "${get('capacity')}" is not a whole number`);
    const ageMin = ageFromText(get('age_min'));
    if (ageMin === undefined) bad.push(`age_min "${get('age_min')}" is not an age`);
    const ageMax = ageFromText(get('age_max'));
    if (ageMax === undefined) bad.push(`age_max "${get('age_max')}" is not an age`);
    let ownership: Ownership = 'unknown';
    let inclusive: boolean | null = null;
    if (get('ownership')) {
      const o = ownershipFromText(get('ownership'));
      if (!o) bad.push(`ownership "${get('ownership')}" is not 公办/民办/public/private`);
      else {
        ownership = o.ownership;
        if (o.inclusive !== undefined) inclusive = o.inclusive;
      }
    }
    for (const [field, value] of [
      ['public', 'public'],
      ['private', 'private'],
    ] as const) {
      if (!get(field)) continue;
      const b = booleanFromText(get(field));
      if (b === undefined) bad.push(`${field} "${get(field)}" is not 是/否`);
      else if (b === true) ownership = value;
      else if (b === false && ownership === 'unknown') ownership = value === 'public' ? 'private' : 'public';
    }
    if (get('inclusive')) {
      const b = booleanFromText(get('inclusive'));
      if (b === undefined) bad.push(`inclusive "${get('inclusive')}" is not 是/否`);
      else inclusive = b;
    }
    const updated = dateFromText(get('updated_at'));
    if (updated === undefined) bad.push(`updated_at "${get('updated_at')}" is not a date`);
    if (bad.length) {
      reject('bad_value', bad.join('; '), id);
      continue;
    }

    const attributes: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rec.extra)) if (v !== null && v !== undefined && v !== '') attributes[k] = v;
    if (get('district')) attributes.district_declared = get('district');
    if (updated) attributes.source_date = updated.toISOString();

    facilities.push({
      source_id: id,
      category,
      name_zh: name.slice(0, 200),
      name_en: get('name_en') || null,
      address: get('address') || null,
      opening_hours: get('opening_hours') || null,
      capacity: capacity ?? null,
      age_min_years: ageMin ?? null,
      age_max_years: ageMax ?? null,
      ownership,
      inclusive,
      amenities: {},
      attributes,
      phone: get('phone') || null,
      lng: pos.lng,
      lat: pos.lat,
      footprint: footprintIn ? convertFootprint(footprintIn, opts.crs) : null,
    });
  }
  return { facilities, rejected, seenIds };
}

/** A polygon outline converted vertex by vertex to WGS84 (rounded to 1e-7°). */
function convertFootprint(g: Geometry2D, crs: Crs): Geometry2D {
  const ring = (r: number[][]) =>
    r.map((p) => {
      const [x, y] = toWgs84([p[0], p[1]], crs);
      return [roundCoord(x), roundCoord(y)];
    });
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(ring)) };
}
