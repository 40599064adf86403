/**
 * From a stream of OpenStreetMap entities to atlas facilities and a walking network,
 * with memory bounded by what is kept, not by the file (issue #3 "Streaming"). Pure: it
 * is fed plain objects by a reader (server/features/imports/osm/) and never does I/O.
 *
 * The reader drives it in passes over the file:
 * 1. every tagged node, way and relation → {@link OsmExtract.addNode}, `addWay`,
 *    `addRelation`: facility candidates are classified (core/osm/tags.ts), walkable ways
 *    (core/osm/walkable.ts) keep only their node refs (one flat `Float64Array`) and
 *    column attributes; untagged nodes are only counted.
 * 2. only when multipolygon facilities were found: the member ways → `addMemberWay`
 *    (relations come after ways in a file, so their members are known only now).
 * 3. {@link OsmExtract.prepareNodeLookup} sorts the needed node ids into a compact
 *    `Float64Array` (8 bytes/node); then every node → `setNodeCoord`, which keeps the
 *    coordinates of the needed ones only (two more `Float64Array`s).
 *
 * Then {@link OsmExtract.facilities} and the {@link OsmExtract.edges} generator build
 * the output, lazily for edges so a writer can batch them.
 *
 * **Splitting** (network_edges, migration 002): a way is cut at every node that another
 * walkable way (or the same way again) also uses — an intersection — at its ends, at
 * crossing nodes (`highway=crossing`, so a router can price them), and wherever its
 * nodes are missing from the extract: ways cut at the bounding box of a clip (8 % of
 * the node refs of the Campo Grande extract) lose those nodes and split there, and the
 * summary counts them, instead of failing.
 *
 * @example
 * const ex = new OsmExtract({ facilities: true, network: true });
 * for (const n of taggedNodes) ex.addNode(n.id, n.lon, n.lat, n.tags);
 * for (const w of ways) ex.addWay(w);
 * ex.prepareNodeLookup();
 * for (const n of allNodes) ex.setNodeCoord(n.id, n.lon, n.lat);
 * const { facilities } = ex.facilities();
 * for (const e of ex.edges()) write(e);
 */
import { categoryById } from '../catalogue';
import type { FacilityInput, Geometry2D, Rejection } from '../import/types';
import {
  bboxOfCoords,
  haversineM,
  meanPoint,
  pointInMultiPolygon,
  pointOnSurface,
  roundCoord,
  type PolygonCoords,
  type Ring,
} from './geometry';
import { assembleRings } from './rings';
import {
  classifyOsm,
  FOOTPRINT_CATEGORIES,
  osmAddress,
  osmAmenities,
  osmInteger,
  osmNames,
  osmOwnership,
  type OsmClassification,
  type OsmTags,
} from './tags';
import { crossingNodeTags, edgeAttributes, isCrossingNode, isWalkableWay, type EdgeAttributes } from './walkable';

export interface OsmWay {
  id: number;
  /** Node ids in order. */
  refs: ArrayLike<number>;
  tags: OsmTags | null;
}

export interface OsmMember {
  type: 'node' | 'way' | 'relation';
  ref: number;
  role: string;
}

export interface OsmRelation {
  id: number;
  members: readonly OsmMember[];
  tags: OsmTags | null;
}

export interface OsmExtractOptions {
  /** Keep facility candidates (default true). */
  facilities?: boolean;
  /** Keep the walking network (default true). */
  network?: boolean;
}

/** One piece of a walkable way between two network nodes. */
export interface EdgeDraft {
  way_id: number;
  /** Piece number along the way (0-based, stable across re-imports of the same data). */
  seq: number;
  from_node: number;
  to_node: number;
  length_m: number;
  /** Flat `[lng0, lat0, lng1, lat1, …]`, WGS84, rounded to 1e-7°. */
  coords: number[];
  attrs: EdgeAttributes;
}

export interface NetworkNodeDraft {
  id: number;
  lng: number;
  lat: number;
  tags: Record<string, string>;
}

export interface OsmStats {
  nodes: number;
  ways: number;
  relations: number;
  walkableWays: number;
  /** Way-node references of kept ways (walkable and facility outlines) … */
  nodeRefs: number;
  /** … of which point to nodes not in the file (ways cut at the extract's edge). */
  missingNodeRefs: number;
  /** Walkable ways that lost at least one node that way. */
  waysCut: number;
  /** Facility relations that are not multipolygons (type=site…), skipped. */
  relationsSkipped: number;
  /** Multipolygon member ways that could not be closed into rings. */
  openRingMembers: number;
  /** Edges dropped by the `keep` filter of {@link OsmExtract.edges} (the city-extent check). */
  edgesOutsideExtent: number;
}

/** A growable Float64Array (node ids up to 2^53 are exact in doubles). */
class F64List {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/** Index of `id` in the sorted `ids`, or -1. */
export function sortedIndexOf(ids: Float64Array, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid];
    if (v < id) lo = mid + 1;
    else if (v > id) hi = mid - 1;
    else return mid;
  }
  return -1;
}

interface Candidate {
  kind: 'node' | 'way' | 'relation';
  id: number;
  tags: OsmTags;
  cls: OsmClassification;
  lon?: number;
  lat?: number;
  refs?: number[];
  members?: OsmMember[];
}

export class OsmExtract {
  readonly wantFacilities: boolean;
  readonly wantNetwork: boolean;
  readonly stats: OsmStats = {
    nodes: 0,
    ways: 0,
    relations: 0,
    walkableWays: 0,
    nodeRefs: 0,
    missingNodeRefs: 0,
    waysCut: 0,
    relationsSkipped: 0,
    openRingMembers: 0,
    edgesOutsideExtent: 0,
  };

  private candidates: Candidate[] = [];
  private crossingTags = new Map<number, Record<string, string>>();
  private walkWayIds: number[] = [];
  private walkAttrs: EdgeAttributes[] = [];
  /** Offsets of each walkable way's refs; one more entry than ways. */
  private walkOffsets: number[] = [0];
  private walkRefs: F64List | null = new F64List();
  private memberWayIds = new Set<number>();
  private memberWays = new Map<number, number[]>();

  // built by prepareNodeLookup()
  private ids: Float64Array = new Float64Array(0);
  private walkIdx: Uint32Array = new Uint32Array(0);
  /** 1 = split the walkable ways here (intersection or crossing). */
  private split: Uint8Array = new Uint8Array(0);
  private lon: Float64Array = new Float64Array(0);
  private lat: Float64Array = new Float64Array(0);
  private nodeUsed: Uint8Array = new Uint8Array(0);
  private prepared = false;

  constructor(opts: OsmExtractOptions = {}) {
    this.wantFacilities = opts.facilities ?? true;
    this.wantNetwork = opts.network ?? true;
  }

  // ── pass 1 ───────────────────────────────────────────────────────────────────────

  /** Every node of the file (tags null for untagged nodes, which are only counted). */
  addNode(id: number, lon: number, lat: number, tags: OsmTags | null): void {
    this.stats.nodes++;
    if (!tags) return;
    if (this.wantFacilities) {
      const cls = classifyOsm(tags);
      if (cls) this.candidates.push({ kind: 'node', id, tags, cls, lon, lat });
    }
    if (this.wantNetwork && isCrossingNode(tags)) this.crossingTags.set(id, crossingNodeTags(tags));
  }

  addWay(w: OsmWay): void {
    this.stats.ways++;
    const tags = w.tags;
    if (!tags || w.refs.length < 2) return;
    if (this.wantNetwork && isWalkableWay(tags)) {
      const refs = this.walkRefs!;
      for (let i = 0; i < w.refs.length; i++) refs.push(w.refs[i]);
      this.walkOffsets.push(refs.length);
      this.walkWayIds.push(w.id);
      this.walkAttrs.push(edgeAttributes(tags));
      this.stats.walkableWays++;
    }
    if (this.wantFacilities) {
      const cls = classifyOsm(tags);
      if (cls) this.candidates.push({ kind: 'way', id: w.id, tags, cls, refs: Array.from(w.refs) });
    }
  }

  addRelation(r: OsmRelation): void {
    this.stats.relations++;
    if (!this.wantFacilities || !r.tags) return;
    const cls = classifyOsm(r.tags);
    if (!cls) return;
    if (r.tags.type !== 'multipolygon') {
      this.stats.relationsSkipped++;
      return;
    }
    const members = r.members.filter((m) => m.type === 'way');
    for (const m of members) this.memberWayIds.add(m.ref);
    this.candidates.push({ kind: 'relation', id: r.id, tags: r.tags, cls, members });
  }

  // ── pass 2 (only when needed) ───────────────────────────────────────────────────

  /** Whether a pass over the ways for multipolygon members is needed. */
  get needsMemberWays(): boolean {
    return this.memberWayIds.size > 0;
  }

  addMemberWay(w: OsmWay): void {
    if (this.memberWayIds.has(w.id)) this.memberWays.set(w.id, Array.from(w.refs));
  }

  // ── pass 3 ───────────────────────────────────────────────────────────────────────

  /**
   * Sort the ids of every node the kept ways need into one array and get ready to
   * receive coordinates. Returns the number of distinct nodes needed.
   */
  prepareNodeLookup(): number {
    const walk = this.walkRefs!;
    const extra: number[] = [];
    for (const c of this.candidates) if (c.refs) for (const r of c.refs) extra.push(r);
    for (const refs of this.memberWays.values()) for (const r of refs) extra.push(r);
    const all = new Float64Array(walk.length + extra.length);
    all.set(walk.data.subarray(0, walk.length));
    all.set(extra, walk.length);
    all.sort();
    let n = 0;
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i];
    this.ids = all.slice(0, n);
    this.lon = new Float64Array(n).fill(NaN);
    this.lat = new Float64Array(n).fill(NaN);
    this.split = new Uint8Array(n);
    this.nodeUsed = new Uint8Array(n);

    // Ref → index, and how many walkable-way uses each node has (an intersection has ≥ 2).
    this.walkIdx = new Uint32Array(walk.length);
    const uses = new Uint8Array(n);
    for (let w = 0; w < this.walkWayIds.length; w++) {
      const start = this.walkOffsets[w];
      const end = this.walkOffsets[w + 1];
      const closed = end - start > 2 && walk.data[start] === walk.data[end - 1];
      for (let k = start; k < end; k++) {
        const idx = sortedIndexOf(this.ids, walk.data[k]);
        this.walkIdx[k] = idx;
        if (closed && k === end - 1) continue; // the closing node of a ring is its first node again
        if (uses[idx] < 255) uses[idx]++;
      }
    }
    for (let i = 0; i < n; i++) if (uses[i] >= 2) this.split[i] = 1;
    for (const id of this.crossingTags.keys()) {
      const idx = sortedIndexOf(this.ids, id);
      if (idx >= 0) this.split[idx] = 1;
    }
    this.walkRefs = null; // the indices replace the ids
    this.prepared = true;
    return n;
  }

  /** Distinct nodes whose coordinates are kept (after {@link prepareNodeLookup}). */
  get neededNodes(): number {
    return this.ids.length;
  }

  /** Whether pass 3 wants this node's coordinates. */
  wantsNode(id: number): boolean {
    return sortedIndexOf(this.ids, id) >= 0;
  }

  setNodeCoord(id: number, lon: number, lat: number): void {
    const idx = sortedIndexOf(this.ids, id);
    if (idx >= 0) {
      this.lon[idx] = roundCoord(lon);
      this.lat[idx] = roundCoord(lat);
    }
  }

  /** Count references to nodes that never came (call after pass 3). */
  countMissing(): void {
    let refs = 0;
    let missing = 0;
    let cut = 0;
    for (let w = 0; w < this.walkWayIds.length; w++) {
      let wayMissing = false;
      for (let k = this.walkOffsets[w]; k < this.walkOffsets[w + 1]; k++) {
        refs++;
        if (Number.isNaN(this.lon[this.walkIdx[k]])) {
          missing++;
          wayMissing = true;
        }
      }
      if (wayMissing) cut++;
    }
    for (const c of this.candidates) {
      for (const r of c.refs ?? []) {
        refs++;
        if (!this.hasCoord(r)) missing++;
      }
    }
    this.stats.nodeRefs = refs;
    this.stats.missingNodeRefs = missing;
    this.stats.waysCut = cut;
  }

  private hasCoord(id: number): boolean {
    const idx = sortedIndexOf(this.ids, id);
    return idx >= 0 && !Number.isNaN(this.lon[idx]);
  }

  private coordsOf(refs: readonly number[]): { ring: Ring; missing: number } {
    const ring: Ring = [];
    let missing = 0;
    for (const r of refs) {
      const idx = sortedIndexOf(this.ids, r);
      if (idx < 0 || Number.isNaN(this.lon[idx])) missing++;
      else ring.push([this.lon[idx], this.lat[idx]]);
    }
    return { ring, missing };
  }

  // ── output ───────────────────────────────────────────────────────────────────────

  /**
   * Facilities with a marker (and outline where kept), and the candidates that could not
   * be placed. Parks containing a playground get `amenities.childrens_area = true`.
   */
  facilities(): { facilities: FacilityInput[]; rejected: Rejection[] } {
    if (!this.prepared) this.prepareNodeLookup();
    const out: FacilityInput[] = [];
    const rejected: Rejection[] = [];
    for (const c of this.candidates) {
      const sourceId = `${c.kind}/${c.id}`;
      const placed = this.place(c);
      if (!placed) {
        rejected.push({ row: null, source_id: sourceId, code: 'no_geometry', reason: `${sourceId}: none of its nodes are in the extract` });
        continue;
      }
      out.push(toFacility(sourceId, c, placed));
    }
    markParksWithPlaygrounds(out);
    return { facilities: out, rejected };
  }

  private place(c: Candidate): { lng: number; lat: number; footprint: Geometry2D | null; incomplete: boolean } | null {
    const keepOutline = FOOTPRINT_CATEGORIES.has(c.cls.category);
    if (c.kind === 'node') return { lng: roundCoord(c.lon!), lat: roundCoord(c.lat!), footprint: null, incomplete: false };
    if (c.kind === 'way') {
      const refs = c.refs!;
      const { ring, missing } = this.coordsOf(refs);
      if (!ring.length) return null;
      const closed = refs.length >= 4 && refs[0] === refs[refs.length - 1];
      if (closed && missing === 0) {
        const [lng, lat] = pointOnSurface([ring]);
        return {
          lng: roundCoord(lng),
          lat: roundCoord(lat),
          footprint: keepOutline ? { type: 'Polygon', coordinates: [ring] } : null,
          incomplete: false,
        };
      }
      // An open way (a mis-tagged line) or an outline cut by the extract: a point on it.
      const [lng, lat] = closed ? meanPoint(ring) : ring[Math.floor(ring.length / 2)];
      return { lng: roundCoord(lng), lat: roundCoord(lat), footprint: null, incomplete: missing > 0 };
    }
    // multipolygon relation
    const outerWays: number[][] = [];
    const innerWays: number[][] = [];
    let missingMembers = 0;
    for (const m of c.members!) {
      const refs = this.memberWays.get(m.ref);
      if (!refs) {
        missingMembers++;
        continue;
      }
      (m.role === 'inner' ? innerWays : outerWays).push(refs);
    }
    const outer = assembleRings(outerWays);
    const inner = assembleRings(innerWays);
    this.stats.openRingMembers += outer.open + inner.open;
    const toRings = (rings: number[][]) =>
      rings
        .map((r) => this.coordsOf(r))
        .filter((r) => r.missing === 0 && r.ring.length >= 4)
        .map((r) => r.ring);
    const outers = toRings(outer.rings);
    const inners = toRings(inner.rings);
    if (!outers.length) {
      const pts = [...outerWays, ...innerWays].flatMap((w) => this.coordsOf(w).ring);
      if (!pts.length) return null;
      const [lng, lat] = meanPoint(pts);
      return { lng: roundCoord(lng), lat: roundCoord(lat), footprint: null, incomplete: true };
    }
    const polygons: PolygonCoords[] = outers.map((o) => [o]);
    for (const hole of inners) {
      const host = polygons.find((p) => pointInMultiPolygon(hole[0][0], hole[0][1], [[p[0]]]));
      if (host) host.push(hole);
    }
    const [lng, lat] = pointOnSurface(polygons);
    const footprint: Geometry2D | null = !keepOutline
      ? null
      : polygons.length === 1
        ? { type: 'Polygon', coordinates: polygons[0] }
        : { type: 'MultiPolygon', coordinates: polygons };
    return { lng: roundCoord(lng), lat: roundCoord(lat), footprint, incomplete: missingMembers > 0 || outer.open > 0 };
  }

  /**
   * The walking network's edges, one way-piece at a time (see the module comment for
   * where ways are split). Endpoints are remembered for {@link networkNodes}.
   *
   * @param keep optional filter on an edge's flat coordinates (the city-extent check);
   *   a dropped edge still consumes its `seq`, so numbering is the same with or without it
   */
  *edges(keep?: (coords: readonly number[]) => boolean): Generator<EdgeDraft> {
    if (!this.prepared) this.prepareNodeLookup();
    const { ids, lon, lat, split, walkIdx } = this;
    for (let w = 0; w < this.walkWayIds.length; w++) {
      const start = this.walkOffsets[w];
      const end = this.walkOffsets[w + 1];
      const attrs = this.walkAttrs[w];
      const wayId = this.walkWayIds[w];
      let seq = 0;
      let piece: number[] = [];
      const emit = (): EdgeDraft | null => {
        const p = attrs.reverse ? piece.slice().reverse() : piece;
        const coords: number[] = [];
        let length = 0;
        for (let i = 0; i < p.length; i++) {
          coords.push(lon[p[i]], lat[p[i]]);
          if (i > 0) length += haversineM(lon[p[i - 1]], lat[p[i - 1]], lon[p[i]], lat[p[i]]);
        }
        const s = seq++;
        if (keep && !keep(coords)) {
          this.stats.edgesOutsideExtent++;
          return null;
        }
        this.nodeUsed[p[0]] = 1;
        this.nodeUsed[p[p.length - 1]] = 1;
        return {
          way_id: wayId,
          seq: s,
          from_node: ids[p[0]],
          to_node: ids[p[p.length - 1]],
          length_m: Math.round(length * 1000) / 1000,
          coords,
          attrs,
        };
      };
      for (let k = start; k < end; k++) {
        const idx = walkIdx[k];
        if (Number.isNaN(lon[idx])) {
          // node outside the extract: end the piece here
          if (piece.length >= 2) {
            const e = emit();
            if (e) yield e;
          }
          piece = [];
          continue;
        }
        if (piece.length && piece[piece.length - 1] === idx) continue; // a node repeated in a row
        piece.push(idx);
        if (piece.length >= 2 && (k === end - 1 || split[idx])) {
          const e = emit();
          if (e) yield e;
          piece = [idx];
        }
      }
    }
  }

  /** Endpoints of the edges produced so far (call after draining {@link edges}). */
  *networkNodes(): Generator<NetworkNodeDraft> {
    for (let i = 0; i < this.ids.length; i++) {
      if (!this.nodeUsed[i]) continue;
      const id = this.ids[i];
      yield { id, lng: this.lon[i], lat: this.lat[i], tags: this.crossingTags.get(id) ?? {} };
    }
  }

  /** Facility candidates found so far, per category (for the summary before writing). */
  candidateCount(): number {
    return this.candidates.length;
  }
}

function toFacility(
  sourceId: string,
  c: Candidate,
  placed: { lng: number; lat: number; footprint: Geometry2D | null; incomplete: boolean },
): FacilityInput {
  const t = c.tags;
  const cat = categoryById(c.cls.category);
  const names = osmNames(t);
  const attributes: Record<string, unknown> = { osm_rule: c.cls.rule, ...c.cls.attributes };
  if (!names.name_zh) attributes.unnamed = true;
  if (placed.incomplete) attributes.outline_incomplete = true;
  attributes.osm_tags = t;
  const ageMin = t.min_age !== undefined && /^\d{1,2}(\.\d+)?$/.test(t.min_age) ? Number(t.min_age) : null;
  const ageMax = t.max_age !== undefined && /^\d{1,2}(\.\d+)?$/.test(t.max_age) ? Number(t.max_age) : null;
  return {
    source_id: sourceId,
    category: c.cls.category,
    // Unnamed playgrounds and parks are common in OSM and still real places: they take
    // the category's name, and `attributes.unnamed` says so.
    name_zh: (names.name_zh ?? cat.name.zh).slice(0, 200),
    name_en: names.name_en ?? (names.name_zh ? null : cat.name.en),
    address: osmAddress(t),
    opening_hours: t.opening_hours ?? null,
    capacity: osmInteger(t.capacity),
    age_min_years: ageMin,
    age_max_years: ageMax,
    ownership: osmOwnership(t),
    inclusive: null,
    amenities: osmAmenities(t),
    attributes,
    phone: t.phone ?? t['contact:phone'] ?? null,
    lng: placed.lng,
    lat: placed.lat,
    footprint: placed.footprint,
  };
}

/** Flag parks whose outline contains a playground (`amenities.childrens_area`). */
export function markParksWithPlaygrounds(facilities: FacilityInput[]): void {
  const playgrounds = facilities.filter((f) => f.category === 'playground');
  if (!playgrounds.length) return;
  for (const park of facilities) {
    if (park.category !== 'park' || !park.footprint) continue;
    const polys = park.footprint.type === 'Polygon' ? [park.footprint.coordinates] : park.footprint.coordinates;
    const [w, s, e, n] = bboxOfCoords(polys);
    let inside = 0;
    for (const p of playgrounds) {
      if (p.lng < w || p.lng > e || p.lat < s || p.lat > n) continue;
      if (pointInMultiPolygon(p.lng, p.lat, polys as PolygonCoords[])) inside++;
    }
    if (inside > 0) {
      park.amenities = { ...park.amenities, childrens_area: true };
      park.attributes = { ...park.attributes, playgrounds_inside: inside };
    }
  }
}
