/**
 * Basemap features from a stream of OpenStreetMap entities, driven by the same passes as
 * {@link OsmExtract} (core/osm/extract.ts): pass 1 classifies tagged nodes, ways and
 * multipolygon relations (core/osm/basemap.ts) and keeps only the node refs of the ways
 * it needs; pass 2 (when multipolygons were found) receives their member ways; pass 3
 * receives node coordinates, of which only the needed ones are kept (sorted ids, two
 * `Float64Array`s: memory bounded by what is kept, not by the file). Pure: no I/O.
 *
 * Geometry: nodes → Point; open ways (and closed highways) → LineString; closed area
 * ways → Polygon; multipolygon relations → (Multi)Polygon with holes. A way whose nodes
 * are partly missing (cut by the extract's bounding box) keeps the pieces it has as
 * lines, but an area missing nodes is dropped (an outline cut open is not an area).
 * A named area also gives a POI at a point on its surface (the label of a park, a school).
 *
 * @example
 * const bm = new BasemapExtract();
 * for (const n of taggedNodes) bm.addNode(n.id, n.lon, n.lat, n.tags);
 * for (const w of ways) bm.addWay(w);
 * bm.prepareNodeLookup();
 * for (const n of allNodes) bm.setNodeCoord(n.id, n.lon, n.lat);
 * for (const f of bm.features()) write(f);
 */
import type { OsmMember, OsmRelation, OsmWay } from './extract';
import { sortedIndexOf } from './extract';
import type { OsmTags } from './tags';
import { classifyBasemap, closedWayIsArea, type BasemapClass } from './basemap';
import { pointInMultiPolygon, pointOnSurface, roundCoord, type PolygonCoords, type Position, type Ring } from './geometry';
import { assembleRings } from './rings';

export type BasemapGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: PolygonCoords }
  | { type: 'MultiPolygon'; coordinates: PolygonCoords[] };

export interface BasemapFeatureDraft extends BasemapClass {
  osm_type: 'node' | 'way' | 'relation';
  osm_id: number;
  geometry: BasemapGeometry;
}

export interface BasemapStats {
  /** OSM objects that gave at least one basemap feature. */
  objects: number;
  /** Areas dropped because nodes or member ways were missing from the extract. */
  areasIncomplete: number;
  /** Lines cut into pieces where their nodes were missing. */
  linesCut: number;
}

interface WayCandidate {
  id: number;
  refs: number[];
  classes: BasemapClass[];
  area: boolean;
}

interface RelationCandidate {
  id: number;
  members: OsmMember[];
  classes: BasemapClass[];
}

export class BasemapExtract {
  readonly stats: BasemapStats = { objects: 0, areasIncomplete: 0, linesCut: 0 };
  private points: BasemapFeatureDraft[] = [];
  private ways: WayCandidate[] = [];
  private relations: RelationCandidate[] = [];
  private memberWayIds = new Set<number>();
  private memberWays = new Map<number, number[]>();
  private ids = new Float64Array(0);
  private lon = new Float64Array(0);
  private lat = new Float64Array(0);
  private prepared = false;

  // ── pass 1 ───────────────────────────────────────────────────────────────────────
  addNode(id: number, lon: number, lat: number, tags: OsmTags | null): void {
    if (!tags) return;
    const classes = classifyBasemap(tags, 'point');
    if (!classes.length) return;
    this.stats.objects++;
    const coordinates: Position = [roundCoord(lon), roundCoord(lat)];
    for (const c of classes) this.points.push({ ...c, osm_type: 'node', osm_id: id, geometry: { type: 'Point', coordinates } });
  }

  addWay(w: OsmWay): void {
    const tags = w.tags;
    if (!tags || w.refs.length < 2) return;
    const closed = w.refs.length >= 4 && w.refs[0] === w.refs[w.refs.length - 1];
    const area = closed && closedWayIsArea(tags);
    const classes = classifyBasemap(tags, area ? 'area' : 'line');
    if (!classes.length) return;
    this.stats.objects++;
    this.ways.push({ id: w.id, refs: Array.from(w.refs), classes, area });
  }

  addRelation(r: OsmRelation): void {
    if (r.tags?.type !== 'multipolygon') return;
    const classes = classifyBasemap(r.tags, 'area');
    if (!classes.length) return;
    this.stats.objects++;
    const members = r.members.filter((m) => m.type === 'way');
    for (const m of members) this.memberWayIds.add(m.ref);
    this.relations.push({ id: r.id, members, classes });
  }

  // ── pass 2 ───────────────────────────────────────────────────────────────────────
  get needsMemberWays(): boolean {
    return this.memberWayIds.size > 0;
  }

  addMemberWay(w: OsmWay): void {
    if (this.memberWayIds.has(w.id)) this.memberWays.set(w.id, Array.from(w.refs));
  }

  // ── pass 3 ───────────────────────────────────────────────────────────────────────
  /** Sort the ids of every node the kept ways need; returns how many. */
  prepareNodeLookup(): number {
    let n = 0;
    for (const w of this.ways) n += w.refs.length;
    for (const refs of this.memberWays.values()) n += refs.length;
    const all = new Float64Array(n);
    let k = 0;
    for (const w of this.ways) for (const r of w.refs) all[k++] = r;
    for (const refs of this.memberWays.values()) for (const r of refs) all[k++] = r;
    all.sort();
    let m = 0;
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[m++] = all[i];
    this.ids = all.slice(0, m);
    this.lon = new Float64Array(m).fill(NaN);
    this.lat = new Float64Array(m).fill(NaN);
    this.prepared = true;
    return m;
  }

  get neededNodes(): number {
    return this.ids.length;
  }

  setNodeCoord(id: number, lon: number, lat: number): void {
    const idx = sortedIndexOf(this.ids, id);
    if (idx >= 0) {
      this.lon[idx] = roundCoord(lon);
      this.lat[idx] = roundCoord(lat);
    }
  }

  private coord(id: number): Position | null {
    const idx = sortedIndexOf(this.ids, id);
    if (idx < 0 || Number.isNaN(this.lon[idx])) return null;
    return [this.lon[idx], this.lat[idx]];
  }

  // ── output ───────────────────────────────────────────────────────────────────────
  /** Every feature, nodes first; lazily, so a writer can batch them. */
  *features(): Generator<BasemapFeatureDraft> {
    if (!this.prepared) this.prepareNodeLookup();
    yield* this.points;
    for (const w of this.ways) {
      const geometry = w.area ? this.wayArea(w.refs) : this.wayLine(w.refs);
      if (!geometry) continue;
      yield* this.emit('way', w.id, w.classes, geometry);
    }
    for (const r of this.relations) {
      const geometry = this.relationArea(r.members);
      if (!geometry) continue;
      yield* this.emit('relation', r.id, r.classes, geometry);
    }
  }

  private *emit(
    osmType: 'way' | 'relation',
    id: number,
    classes: BasemapClass[],
    geometry: BasemapGeometry,
  ): Generator<BasemapFeatureDraft> {
    for (const c of classes) {
      if (c.layer === 'pois' && geometry.type !== 'Point') {
        // the label of a named area: a point on its surface
        if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') continue;
        const [x, y] = pointOnSurface(geometry.coordinates);
        yield { ...c, osm_type: osmType, osm_id: id, geometry: { type: 'Point', coordinates: [roundCoord(x), roundCoord(y)] } };
      } else yield { ...c, osm_type: osmType, osm_id: id, geometry };
    }
  }

  private wayLine(refs: readonly number[]): BasemapGeometry | null {
    const pieces: Position[][] = [];
    let piece: Position[] = [];
    let cut = false;
    for (const r of refs) {
      const c = this.coord(r);
      if (!c) {
        cut = true;
        if (piece.length >= 2) pieces.push(piece);
        piece = [];
        continue;
      }
      const last = piece[piece.length - 1];
      if (!last || last[0] !== c[0] || last[1] !== c[1]) piece.push(c);
    }
    if (piece.length >= 2) pieces.push(piece);
    if (cut) this.stats.linesCut++;
    if (!pieces.length) return null;
    return pieces.length === 1 ? { type: 'LineString', coordinates: pieces[0] } : { type: 'MultiLineString', coordinates: pieces };
  }

  private ring(refs: readonly number[]): Ring | null {
    const ring: Ring = [];
    for (const r of refs) {
      const c = this.coord(r);
      if (!c) return null;
      ring.push(c);
    }
    return ring.length >= 4 ? ring : null;
  }

  private wayArea(refs: readonly number[]): BasemapGeometry | null {
    const ring = this.ring(refs);
    if (!ring) {
      this.stats.areasIncomplete++;
      return null;
    }
    return { type: 'Polygon', coordinates: [ring] };
  }

  private relationArea(members: readonly OsmMember[]): BasemapGeometry | null {
    const outerWays: number[][] = [];
    const innerWays: number[][] = [];
    for (const m of members) {
      const refs = this.memberWays.get(m.ref);
      if (!refs) continue;
      (m.role === 'inner' ? innerWays : outerWays).push(refs);
    }
    const toRings = (ways: number[][]) =>
      assembleRings(ways)
        .rings.map((r) => this.ring(r))
        .filter((r): r is Ring => r !== null);
    const outers = toRings(outerWays);
    if (!outers.length) {
      this.stats.areasIncomplete++;
      return null;
    }
    const polygons: PolygonCoords[] = outers.map((o) => [o]);
    for (const hole of toRings(innerWays)) {
      const host = polygons.find((p) => pointInMultiPolygon(hole[0][0], hole[0][1], [[p[0]]]));
      if (host) host.push(hole);
    }
    return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
  }

  /** Bounding box `[w, s, e, n]` of the kept node coordinates and points, or null. */
  bbox(): [number, number, number, number] | null {
    let w = Infinity;
    let s = Infinity;
    let e = -Infinity;
    let n = -Infinity;
    const add = (x: number, y: number) => {
      if (Number.isNaN(x)) return;
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    };
    for (let i = 0; i < this.lon.length; i++) add(this.lon[i], this.lat[i]);
    for (const p of this.points) if (p.geometry.type === 'Point') add(p.geometry.coordinates[0], p.geometry.coordinates[1]);
    return Number.isFinite(w) ? [w, s, e, n] : null;
  }
}
