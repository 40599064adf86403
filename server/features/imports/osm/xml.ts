/**
 * A streaming OSM XML reader (`.osm`, `.osm.gz`; format: wiki "OSM XML") on the `saxes`
 * SAX parser: the file flows through gunzip and the parser in chunks, and only the
 * entity being read is held. JOSM files' deleted objects (`action="delete"`) and
 * `visible="false"` history entries are skipped.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { OsmMember } from '../../../../core/osm/extract';
import { OsmReadError, type OsmVisitor } from './visitor';

type Current =
  | { kind: 'node'; id: number; lon: number; lat: number; tags: Record<string, string> | null; skip: boolean }
  | { kind: 'way'; id: number; refs: number[]; tags: Record<string, string> | null; skip: boolean }
  | { kind: 'relation'; id: number; members: OsmMember[]; tags: Record<string, string> | null; skip: boolean };

/** Read an OSM XML file (gzip when `gzip`) once, calling `v` for the entities it asks for. */
export async function readOsmXml(file: string, v: OsmVisitor, gzip: boolean): Promise<void> {
  const size = (await stat(file)).size;
  const parser = new SaxesParser({ xmlns: false, position: false });
  let cur: Current | null = null;
  let sawRoot = false;
  const wantNodeTags = v.nodeTags !== false;

  parser.on('opentag', (tag: SaxesTagPlain) => {
    const a = tag.attributes as Record<string, string>;
    switch (tag.name) {
      case 'osm':
      case 'osmChange':
        sawRoot = true;
        return;
      case 'node':
        cur = {
          kind: 'node',
          id: Number(a.id),
          lon: Number(a.lon),
          lat: Number(a.lat),
          tags: null,
          skip: !v.node || a.action === 'delete' || a.visible === 'false',
        };
        return;
      case 'way':
        cur = { kind: 'way', id: Number(a.id), refs: [], tags: null, skip: !v.way || a.action === 'delete' || a.visible === 'false' };
        return;
      case 'relation':
        cur = {
          kind: 'relation',
          id: Number(a.id),
          members: [],
          tags: null,
          skip: !v.relation || a.action === 'delete' || a.visible === 'false',
        };
        return;
      case 'tag':
        if (cur && !cur.skip && (cur.kind !== 'node' || wantNodeTags)) {
          cur.tags ??= {};
          cur.tags[a.k] = a.v;
        }
        return;
      case 'nd':
        if (cur?.kind === 'way' && !cur.skip) cur.refs.push(Number(a.ref));
        return;
      case 'member':
        if (cur?.kind === 'relation' && !cur.skip) {
          const type = a.type === 'way' || a.type === 'relation' ? a.type : 'node';
          cur.members.push({ type, ref: Number(a.ref), role: a.role ?? '' });
        }
        return;
    }
  });
  parser.on('closetag', (tag) => {
    const c = cur as Current | null;
    if (!c || tag.name !== c.kind) return;
    cur = null;
    if (c.skip) return;
    if (c.kind === 'node') v.node!(c.id, c.lon, c.lat, c.tags);
    else if (c.kind === 'way') v.way!({ id: c.id, refs: c.refs, tags: c.tags });
    else v.relation!({ id: c.id, members: c.members, tags: c.tags });
  });

  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  let read = 0;
  raw.on('data', (b) => {
    read += b.length;
  });
  const text = gzip ? raw.pipe(createGunzip()) : raw;
  text.setEncoding('utf8');
  let chunks = 0;
  try {
    for await (const chunk of text) {
      parser.write(chunk as string);
      if (++chunks % 8 === 0) v.progress?.(read, size);
    }
    parser.close();
  } catch (e) {
    raw.destroy();
    throw new OsmReadError(file, (e as Error).message);
  }
  if (!sawRoot) throw new OsmReadError(file, 'no <osm> element: not an OSM XML file');
  v.progress?.(size, size);
}
