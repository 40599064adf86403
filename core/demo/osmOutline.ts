/**
 * The OpenStreetMap outline of a district in place of the legacy ECharts one, and how far
 * the two sit apart. OSM streets are WGS84 and exact to a few metres; the ECharts
 * outlines are GCJ-02-like web-map data quantised to 1/1024° (≈ 100 m), so once streets
 * are drawn a district whose cells, gaps and coverage follow the ECharts line would cut
 * through blocks. 渝中区 (500103) uses OSM relation 4738525 (Nominatim's `geojson`, carried
 * in data/osm/yuzhong/yuzhong_boundary.nominatim.json, ODbL).
 *
 * Neighbours keep their ECharts outlines (there is no open OSM outline of them here), with
 * the OSM district cut out of them, so that no point lies in two districts; the slivers
 * between the two lines stay unassigned, like the quantisation gaps elsewhere.
 *
 * @example
 * const outline = parseNominatimOutline(JSON.parse(text), 4738525);
 * const districts2 = applyOsmOutline(districts, '500103', outline);
 */
import { area, booleanPointInPolygon, difference, featureCollection, multiPolygon, pointOnFeature, rewind } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import type { LngLat } from '../datum';
import { createLocalProjection, project } from '../coverage/geo';
import { bboxOf, type Polygons } from './pip';
import { round6, type DistrictFeature } from './districts';

/** The OSM relation of 渝中区 and the district it replaces. */
export const YUZHONG_OSM_RELATION = 4738525;
export const YUZHONG_CODE = '500103';

export const OSM_OUTLINE_SOURCE = (relation: number) =>
  `OpenStreetMap relation ${relation} (© OpenStreetMap contributors, ODbL 1.0), via Nominatim; WGS84`;

export interface OsmOutline {
  relation: number;
  geometry: MultiPolygon;
  /** Nominatim's point for the place ([lon, lat]), used as the label point when inside. */
  point: LngLat | null;
}

interface NominatimPlace {
  osm_type?: string;
  osm_id?: number;
  lat?: string;
  lon?: string;
  geojson?: { type: string; coordinates: unknown };
}

/**
 * The outline of relation `relation` from a Nominatim answer (an array of places or one
 * place, `polygon_geojson=1`): MultiPolygon, coordinates rounded to 6 decimals, rings
 * wound per RFC 7946.
 * @throws Error when the answer has no polygon for that relation.
 */
export function parseNominatimOutline(doc: unknown, relation: number): OsmOutline {
  const places = (Array.isArray(doc) ? doc : [doc]) as NominatimPlace[];
  const p = places.find((x) => x?.osm_type === 'relation' && Number(x.osm_id) === relation);
  const g = p?.geojson;
  if (!p || !g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon'))
    throw new Error(`Nominatim answer has no polygon for relation ${relation}`);
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][];
  const raw: MultiPolygon = {
    type: 'MultiPolygon',
    coordinates: polys.map((poly) => poly.map((ring) => ring.map((c) => [round6(c[0]), round6(c[1])]))),
  };
  const point: LngLat | null = p.lon !== undefined && p.lat !== undefined ? [round6(Number(p.lon)), round6(Number(p.lat))] : null;
  return { relation, geometry: rewind(raw, { reverse: false }) as MultiPolygon, point };
}

function roundGeometry(g: Polygon | MultiPolygon): MultiPolygon {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return {
    type: 'MultiPolygon',
    coordinates: polys
      .map((poly) =>
        poly
          .map((ring) =>
            ring.map((c) => [round6(c[0]), round6(c[1])]).filter((c, i, a) => i === 0 || c[0] !== a[i - 1][0] || c[1] !== a[i - 1][1]),
          )
          .filter((ring) => ring.length >= 4),
      )
      .filter((poly) => poly.length > 0),
  };
}

function bboxesMeet(a: Polygons, b: Polygons): boolean {
  const [ax0, ay0, ax1, ay1] = bboxOf(a);
  const [bx0, by0, bx1, by1] = bboxOf(b);
  return ax0 <= bx1 && bx0 <= ax1 && ay0 <= by1 && by0 <= ay1;
}

/**
 * Districts with `code`'s geometry replaced by the OSM outline (label point: Nominatim's
 * point when inside, else a point on the outline; area recomputed geodesically; census
 * facts untouched) and the outline cut out of every other district it overlaps.
 */
export function applyOsmOutline(districts: readonly DistrictFeature[], code: string, outline: OsmOutline): DistrictFeature[] {
  const target = districts.find((d) => d.properties.code === code);
  if (!target) throw new Error(`no district ${code}`);
  const osm = outline.geometry;
  return districts.map((d): DistrictFeature => {
    if (d.properties.code === code) {
      let label: LngLat | null = outline.point && booleanPointInPolygon(outline.point, osm) ? outline.point : null;
      if (!label) {
        const q = pointOnFeature(osm).geometry.coordinates;
        label = [round6(q[0]), round6(q[1])];
      }
      return {
        ...d,
        properties: {
          ...d.properties,
          label_point: label,
          area_km2: Math.round(area(osm) / 1e5) / 10,
          source: OSM_OUTLINE_SOURCE(outline.relation),
        },
        geometry: osm,
      };
    }
    if (!bboxesMeet(d.geometry.coordinates, osm.coordinates)) return d;
    const cut = difference(featureCollection([multiPolygon(d.geometry.coordinates), multiPolygon(osm.coordinates)]));
    if (!cut) throw new Error(`district ${d.properties.code} lies wholly inside the OSM outline of ${code}`);
    const geometry = rewind(roundGeometry(cut.geometry), { reverse: false }) as MultiPolygon;
    const a = Math.round(area(geometry) / 1e5) / 10;
    if (a === d.properties.area_km2 && JSON.stringify(geometry) === JSON.stringify(d.geometry)) return d;
    let label = d.properties.label_point;
    if (!booleanPointInPolygon(label, geometry)) {
      const q = pointOnFeature(geometry).geometry.coordinates;
      label = [round6(q[0]), round6(q[1])];
    }
    return {
      ...d,
      properties: { ...d.properties, label_point: label, area_km2: a, source: `${d.properties.source}; OSM outline of ${code} cut out` },
      geometry,
    };
  });
}

/** Planar segments of all rings, in metres of a local projection. */
function segmentsOf(polys: Polygons, proj: ReturnType<typeof createLocalProjection>): number[][] {
  const out: number[][] = [];
  for (const poly of polys)
    for (const ring of poly)
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x1, y1] = project(proj, ring[i][0], ring[i][1]);
        const [x2, y2] = project(proj, ring[i + 1][0], ring[i + 1][1]);
        out.push([x1, y1, x2, y2]);
      }
  return out;
}

function distToSegments(x: number, y: number, segs: number[][]): number {
  let best = Infinity;
  for (const [x1, y1, x2, y2] of segs) {
    const dx = x2 - x1;
    const dy = y2 - y1;
    const l2 = dx * dx + dy * dy;
    const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / l2));
    const d = Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy));
    if (d < best) best = d;
  }
  return best;
}

/** Vertices densified so that no two consecutive ones are more than `stepM` apart (metres). */
function samplePoints(polys: Polygons, proj: ReturnType<typeof createLocalProjection>, stepM: number): [number, number][] {
  const pts: [number, number][] = [];
  for (const [x1, y1, x2, y2] of segmentsOf(polys, proj)) {
    const n = Math.max(1, Math.ceil(Math.hypot(x2 - x1, y2 - y1) / stepM));
    for (let k = 0; k < n; k++) pts.push([x1 + ((x2 - x1) * k) / n, y1 + ((y2 - y1) * k) / n]);
  }
  return pts;
}

export interface OutlineDistance {
  /** Symmetric Hausdorff distance between the two boundaries, metres. */
  hausdorffM: number;
  /** Mean distance from points along `a` (every `stepM`) to `b`'s boundary, and back. */
  meanAtoBM: number;
  meanBtoAM: number;
  /** Median of the a → b distances, metres. */
  medianAtoBM: number;
}

/**
 * How far two outlines sit apart: the boundaries are sampled every `stepM` metres and
 * each sample's distance to the other boundary taken (planar, local projection: < 0.1 %
 * error over a district).
 */
export function outlineDistance(a: Polygons, b: Polygons, stepM = 10): OutlineDistance {
  const [x0, y0, x1, y1] = bboxOf(a);
  const proj = createLocalProjection((x0 + x1) / 2, (y0 + y1) / 2);
  const sa = segmentsOf(a, proj);
  const sb = segmentsOf(b, proj);
  const ab = samplePoints(a, proj, stepM).map(([x, y]) => distToSegments(x, y, sb));
  const ba = samplePoints(b, proj, stepM).map(([x, y]) => distToSegments(x, y, sa));
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
  const sorted = [...ab].sort((p, q) => p - q);
  return {
    hausdorffM: Math.max(Math.max(...ab), Math.max(...ba)),
    meanAtoBM: mean(ab),
    meanBtoAM: mean(ba),
    medianAtoBM: sorted[Math.floor(sorted.length / 2)] ?? 0,
  };
}

export interface SharedBorderOffset {
  /** Length of the neighbour's boundary that runs along the old outline (within `nearM`), metres. */
  sharedM: number;
  /** Distance from that stretch to the new (OSM) outline: mean, median, max (metres). */
  meanM: number;
  medianM: number;
  maxM: number;
}

/**
 * How far a neighbour's boundary sits from the new outline along the border it shared with
 * the old one: the neighbour's boundary is sampled every `stepM` metres, the samples within
 * `nearM` of the old outline are its shared stretch, and their distances to the new
 * outline are summarised. Null when the two do not share a border.
 */
export function sharedBorderOffset(
  neighbour: Polygons,
  oldOutline: Polygons,
  newOutline: Polygons,
  nearM = 50,
  stepM = 10,
): SharedBorderOffset | null {
  const [x0, y0, x1, y1] = bboxOf(oldOutline);
  const proj = createLocalProjection((x0 + x1) / 2, (y0 + y1) / 2);
  const so = segmentsOf(oldOutline, proj);
  const sn = segmentsOf(newOutline, proj);
  const shared = samplePoints(neighbour, proj, stepM).filter(([x, y]) => distToSegments(x, y, so) <= nearM);
  if (shared.length < 2) return null;
  const d = shared.map(([x, y]) => distToSegments(x, y, sn)).sort((p, q) => p - q);
  return {
    sharedM: shared.length * stepM,
    meanM: d.reduce((s, x) => s + x, 0) / d.length,
    medianM: d[Math.floor(d.length / 2)],
    maxM: d[d.length - 1],
  };
}

/** `polygons` as a plain MultiPolygon coordinate array (for callers holding DistrictFeatures). */
export function polygonsOf(d: DistrictFeature): Polygons {
  return d.geometry.coordinates;
}
