/**
 * A streaming OpenStreetMap PBF reader (format: wiki "PBF Format"; messages from
 * osmosis' `fileformat.proto` and `osmformat.proto`), built on `pbf` (already a
 * dependency for vector tiles) and `node:zlib`.
 *
 * Why not `osm-pbf-parser` or `osm-read`: both run on Node 20, but osm-read pins
 * protobufjs 6.8.8 (prototype-pollution advisories, fixed in 6.11.4) and ships an HTTP
 * server as a runtime dependency; osm-pbf-parser (2016) pulls in 62 packages including
 * the browserify transform `brfs` at run time, and decodes every entity of every block.
 * Reading blocks ourselves lets a pass skip what it does not need: pass 1 never builds
 * untagged nodes, pass 3 never decodes ways, relations or node tags.
 *
 * Memory: one file block at a time (≤ 32 MiB uncompressed by the format's limit), read
 * with positioned reads — never the whole file.
 */
import { open } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import Pbf from 'pbf';
import type { OsmMember } from '../../../../core/osm/extract';
import type { OsmTags } from '../../../../core/osm/tags';
import { OsmReadError, type OsmVisitor } from './visitor';

const utf8 = new TextDecoder('utf-8');
const MEMBER_TYPES = ['node', 'way', 'relation'] as const;

/** Read a PBF file once, calling `v` for the entities it asks for. */
export async function readPbf(file: string, v: OsmVisitor): Promise<void> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    let pos = 0;
    const lenBuf = Buffer.alloc(4);
    let blocks = 0;
    while (pos < size) {
      await readExactly(fh, lenBuf, pos, file);
      const headerLen = lenBuf.readUInt32BE(0);
      if (headerLen > 64 * 1024) throw new OsmReadError(file, `blob header of ${headerLen} bytes at offset ${pos}: not an OSM PBF file`);
      const headerBuf = Buffer.alloc(headerLen);
      await readExactly(fh, headerBuf, pos + 4, file);
      const header = readBlobHeader(headerBuf);
      const blobBuf = Buffer.alloc(header.datasize);
      await readExactly(fh, blobBuf, pos + 4 + headerLen, file);
      pos += 4 + headerLen + header.datasize;
      blocks++;
      if (header.type === 'OSMHeader') {
        const data = inflateBlob(blobBuf, file);
        checkHeader(data, file);
        continue;
      }
      if (header.type !== 'OSMData') continue; // unknown blob types are skipped, as the spec says
      if (!v.node && !v.way && !v.relation) continue;
      readPrimitiveBlock(inflateBlob(blobBuf, file), v);
      v.progress?.(pos, size);
    }
    if (blocks === 0) throw new OsmReadError(file, 'empty PBF file');
  } finally {
    await fh.close();
  }
}

async function readExactly(fh: import('node:fs/promises').FileHandle, buf: Buffer, position: number, file: string): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesRead } = await fh.read(buf, off, buf.length - off, position + off);
    if (bytesRead === 0) throw new OsmReadError(file, `truncated PBF file at offset ${position + off}`);
    off += bytesRead;
  }
}

function readBlobHeader(buf: Uint8Array): { type: string; datasize: number } {
  const out = { type: '', datasize: 0 };
  new Pbf(buf).readFields((tag, r, p) => {
    if (tag === 1) r.type = p.readString();
    else if (tag === 3) r.datasize = p.readVarint();
  }, out);
  return out;
}

function inflateBlob(buf: Uint8Array, file: string): Uint8Array {
  const blob: { raw?: Uint8Array; zlib?: Uint8Array; other?: string } = {};
  new Pbf(buf).readFields((tag, r, p) => {
    if (tag === 1) r.raw = p.readBytes();
    else if (tag === 3) r.zlib = p.readBytes();
    else if (tag === 4) r.other = 'lzma';
    else if (tag === 6) r.other = 'lz4';
    else if (tag === 7) r.other = 'zstd';
  }, blob);
  if (blob.raw) return blob.raw;
  if (blob.zlib) return new Uint8Array(inflateSync(blob.zlib));
  throw new OsmReadError(
    file,
    `${blob.other ?? 'unknown'}-compressed blocks are not supported: re-encode with \`osmium cat -o out.osm.pbf\` (zlib)`,
  );
}

/** Refuse files that need features we do not implement (HeaderBlock.required_features). */
function checkHeader(buf: Uint8Array, file: string): void {
  const required: string[] = [];
  new Pbf(buf).readFields((tag, r, p) => {
    if (tag === 4) r.push(p.readString());
  }, required);
  const known = new Set(['OsmSchema-V0.6', 'DenseNodes', 'HistoricalInformation']);
  const unknown = required.filter((f) => !known.has(f));
  if (unknown.length) throw new OsmReadError(file, `PBF requires unsupported features: ${unknown.join(', ')}`);
}

interface BlockCtx {
  strings: string[] | null;
  raw: Uint8Array[];
  granularity: number;
  latOffset: number;
  lonOffset: number;
}

function readPrimitiveBlock(buf: Uint8Array, v: OsmVisitor): void {
  const pbf = new Pbf(buf);
  const ctx: BlockCtx = { strings: null, raw: [], granularity: 100, latOffset: 0, lonOffset: 0 };
  const groups: [number, number][] = [];
  // Groups (field 2) precede granularity and offsets (17–20) on the wire: note their
  // extent first, decode them once the block's constants are known.
  pbf.readFields((tag, c, p) => {
    if (tag === 1) {
      const end = p.readVarint() + p.pos;
      p.readFields(
        (t, cc, pp) => {
          if (t === 1) cc.raw.push(pp.readBytes());
        },
        c,
        end,
      );
    } else if (tag === 2) {
      const len = p.readVarint();
      groups.push([p.pos, p.pos + len]);
      p.pos += len;
    } else if (tag === 17) c.granularity = p.readVarint();
    else if (tag === 19) c.latOffset = p.readVarint(true);
    else if (tag === 20) c.lonOffset = p.readVarint(true);
  }, ctx);
  const needStrings = !!(v.way || v.relation || (v.node && v.nodeTags !== false));
  if (needStrings) ctx.strings = ctx.raw.map((b) => utf8.decode(b));
  for (const [start, end] of groups) {
    pbf.pos = start;
    pbf.readFields(
      (tag, c, p) => {
        if (tag === 2 && v.node) readDense(p, c, v);
        else if (tag === 1 && v.node) readNode(p, c, v);
        else if (tag === 3 && v.way) readWay(p, c, v);
        else if (tag === 4 && v.relation) readRelation(p, c, v);
      },
      ctx,
      end,
    );
  }
}

function coord(ctx: BlockCtx, offset: number, value: number): number {
  return (offset + ctx.granularity * value) / 1e9;
}

function tagsFrom(ctx: BlockCtx, keys: number[], vals: number[]): OsmTags | null {
  if (!keys.length || !ctx.strings) return null;
  const t: Record<string, string> = {};
  for (let i = 0; i < keys.length; i++) t[ctx.strings[keys[i]]] = ctx.strings[vals[i]];
  return t;
}

function readDense(p: Pbf, ctx: BlockCtx, v: OsmVisitor): void {
  const ids: number[] = [];
  const lats: number[] = [];
  const lons: number[] = [];
  const kv: number[] = [];
  const wantTags = v.nodeTags !== false;
  const end = p.readVarint() + p.pos;
  p.readFields(
    (tag, _r, pp) => {
      if (tag === 1) pp.readPackedSVarint(ids);
      else if (tag === 8) pp.readPackedSVarint(lats);
      else if (tag === 9) pp.readPackedSVarint(lons);
      else if (tag === 10 && wantTags) pp.readPackedVarint(kv);
    },
    null,
    end,
  );
  let id = 0;
  let lat = 0;
  let lon = 0;
  let k = 0;
  for (let i = 0; i < ids.length; i++) {
    id += ids[i];
    lat += lats[i];
    lon += lons[i];
    let tags: Record<string, string> | null = null;
    if (wantTags && kv.length) {
      while (k < kv.length && kv[k] !== 0) {
        tags ??= {};
        tags[ctx.strings![kv[k]]] = ctx.strings![kv[k + 1]];
        k += 2;
      }
      k++; // the 0 that ends this node's pairs
    }
    v.node!(id, coord(ctx, ctx.lonOffset, lon), coord(ctx, ctx.latOffset, lat), tags);
  }
}

function readNode(p: Pbf, ctx: BlockCtx, v: OsmVisitor): void {
  const n = { id: 0, lat: 0, lon: 0, keys: [] as number[], vals: [] as number[] };
  const end = p.readVarint() + p.pos;
  p.readFields(
    (tag, r, pp) => {
      if (tag === 1) r.id = pp.readSVarint();
      else if (tag === 2) pp.readPackedVarint(r.keys);
      else if (tag === 3) pp.readPackedVarint(r.vals);
      else if (tag === 8) r.lat = pp.readSVarint();
      else if (tag === 9) r.lon = pp.readSVarint();
    },
    n,
    end,
  );
  v.node!(
    n.id,
    coord(ctx, ctx.lonOffset, n.lon),
    coord(ctx, ctx.latOffset, n.lat),
    v.nodeTags === false ? null : tagsFrom(ctx, n.keys, n.vals),
  );
}

function readWay(p: Pbf, ctx: BlockCtx, v: OsmVisitor): void {
  const w = { id: 0, keys: [] as number[], vals: [] as number[], refs: [] as number[] };
  const end = p.readVarint() + p.pos;
  p.readFields(
    (tag, r, pp) => {
      if (tag === 1) r.id = pp.readVarint(true);
      else if (tag === 2) pp.readPackedVarint(r.keys);
      else if (tag === 3) pp.readPackedVarint(r.vals);
      else if (tag === 8) pp.readPackedSVarint(r.refs);
    },
    w,
    end,
  );
  for (let i = 1; i < w.refs.length; i++) w.refs[i] += w.refs[i - 1]; // delta-coded
  v.way!({ id: w.id, refs: w.refs, tags: tagsFrom(ctx, w.keys, w.vals) });
}

function readRelation(p: Pbf, ctx: BlockCtx, v: OsmVisitor): void {
  const r = { id: 0, keys: [] as number[], vals: [] as number[], roles: [] as number[], memids: [] as number[], types: [] as number[] };
  const end = p.readVarint() + p.pos;
  p.readFields(
    (tag, x, pp) => {
      if (tag === 1) x.id = pp.readVarint(true);
      else if (tag === 2) pp.readPackedVarint(x.keys);
      else if (tag === 3) pp.readPackedVarint(x.vals);
      else if (tag === 8) pp.readPackedVarint(x.roles, true);
      else if (tag === 9) pp.readPackedSVarint(x.memids);
      else if (tag === 10) pp.readPackedVarint(x.types);
    },
    r,
    end,
  );
  const members: OsmMember[] = [];
  let ref = 0;
  for (let i = 0; i < r.memids.length; i++) {
    ref += r.memids[i];
    members.push({ type: MEMBER_TYPES[r.types[i]] ?? 'node', ref, role: ctx.strings![r.roles[i]] ?? '' });
  }
  v.relation!({ id: r.id, members, tags: tagsFrom(ctx, r.keys, r.vals) });
}
