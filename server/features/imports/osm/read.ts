/**
 * One entry point for the three OpenStreetMap formats: PBF, OSM XML (plain or gzip) and
 * Overpass API JSON (`[out:json]`, plain or gzip). The format is sniffed from the first
 * bytes, not trusted from the extension.
 *
 * Overpass JSON is parsed whole: it is a query result (the public Overpass servers cap
 * answers far below a city's PBF), and JSON has no streaming parser in our dependencies.
 * Ways answered with `out geom` carry their coordinates inline; those are offered as
 * nodes in the coordinate pass, so such files need no separate node elements.
 */
import { open, readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { OsmMember } from '../../../../core/osm/extract';
import { readPbf } from './pbf';
import { readOsmXml } from './xml';
import { OsmReadError, type OsmFormat, type OsmVisitor } from './visitor';

export interface OsmFileInfo {
  format: OsmFormat;
  gzip: boolean;
}

/** Sniff an OSM file's format from its first bytes (gzip is looked through). */
export async function detectOsmFormat(file: string): Promise<OsmFileInfo | null> {
  const fh = await open(file, 'r');
  const head = Buffer.alloc(64 * 1024);
  let n: number;
  try {
    n = (await fh.read(head, 0, head.length, 0)).bytesRead;
  } finally {
    await fh.close();
  }
  let bytes = head.subarray(0, n);
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (gzip) {
    try {
      // a partial gzip member: decompress what the head holds
      bytes = gunzipSync(bytes, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).subarray(0, 4096);
    } catch {
      return null;
    }
  }
  if (!gzip && bytes.length > 8 && bytes.subarray(0, 40).includes(Buffer.from('OSMHeader'))) return { format: 'pbf', gzip: false };
  const text = bytes
    .subarray(0, 4096)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (text.startsWith('<')) return /<osm[\s>]|<osmChange[\s>]/.test(text) ? { format: 'xml', gzip } : null;
  if (text.startsWith('{') && /"elements"\s*:/.test(text)) return { format: 'overpass-json', gzip };
  return null;
}

/** Read an OSM file once with `v`. */
export async function readOsm(file: string, info: OsmFileInfo, v: OsmVisitor): Promise<void> {
  if (info.format === 'pbf') return readPbf(file, v);
  if (info.format === 'xml') return readOsmXml(file, v, info.gzip);
  return readOverpassJson(file, info.gzip, v);
}

interface OverpassElement {
  type: 'node' | 'way' | 'relation' | string;
  id: number;
  lat?: number;
  lon?: number;
  tags?: Record<string, string>;
  nodes?: number[];
  geometry?: ({ lat: number; lon: number } | null)[];
  members?: { type: string; ref: number; role?: string }[];
}

/** Parsed files are cached per path for the passes of one import (Overpass answers are small). */
const cache = new Map<string, OverpassElement[]>();

async function loadOverpass(file: string, gzip: boolean): Promise<OverpassElement[]> {
  const hit = cache.get(file);
  if (hit) return hit;
  let buf = await readFile(file);
  if (gzip) buf = gunzipSync(buf);
  let doc: { elements?: OverpassElement[]; remark?: string };
  try {
    doc = JSON.parse(buf.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new OsmReadError(file, `not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(doc.elements)) throw new OsmReadError(file, 'no "elements" array: not an Overpass JSON answer');
  if (doc.remark && /runtime error|timed out|out of memory/i.test(doc.remark)) {
    throw new OsmReadError(file, `the Overpass answer is incomplete (${doc.remark})`);
  }
  cache.set(file, doc.elements);
  return doc.elements;
}

/** Forget a cached Overpass file (called when an import finishes). */
export function releaseOsmFile(file: string): void {
  cache.delete(file);
}

async function readOverpassJson(file: string, gzip: boolean, v: OsmVisitor): Promise<void> {
  const elements = await loadOverpass(file, gzip);
  const wantTags = v.nodeTags !== false;
  elements.forEach((e, i) => {
    if (e.type === 'node' && v.node && typeof e.lat === 'number' && typeof e.lon === 'number') {
      v.node(e.id, e.lon, e.lat, wantTags && e.tags && Object.keys(e.tags).length ? e.tags : null);
    } else if (e.type === 'way') {
      if (v.node && !wantTags && e.geometry && e.nodes) {
        // `out geom`: coordinates inline, aligned with `nodes` (null outside the query's bbox)
        e.geometry.forEach((g, k) => {
          if (g && e.nodes![k] !== undefined) v.node!(e.nodes![k], g.lon, g.lat, null);
        });
      }
      if (v.way && e.nodes) v.way({ id: e.id, refs: e.nodes, tags: e.tags && Object.keys(e.tags).length ? e.tags : null });
    } else if (e.type === 'relation' && v.relation) {
      const members: OsmMember[] = (e.members ?? []).map((m) => ({
        type: m.type === 'way' || m.type === 'relation' ? m.type : 'node',
        ref: m.ref,
        role: m.role ?? '',
      }));
      v.relation({ id: e.id, members, tags: e.tags && Object.keys(e.tags).length ? e.tags : null });
    }
    if (i % 10_000 === 0) v.progress?.(i, elements.length);
  });
  v.progress?.(elements.length, elements.length);
}
