/**
 * The basemap's style and what it needs, all same-origin (docs/basemap.md):
 * - `GET /api/style.json?lang=zh|en&flavor=light&buildings3d=true|false` — the MapLibre style;
 * - `GET /api/basemap/fonts/{fontstack}/{range}.pbf` — glyphs (an empty PBF when not carried);
 * - `GET /api/basemap/sprites/v4/{light|light@2x}.{json|png}` — the sprite sheets;
 * - `GET /api/basemap.pmtiles` — the `BASEMAP_PMTILES` archive by HTTP range requests
 *   (206 + Content-Range, Accept-Ranges, ETag, 416 for an unsatisfiable range), when set.
 * The tiles themselves (`/api/tiles/basemap…`) are the tiles feature's.
 */
import type { Request, Router } from 'express';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { parse } from '../../http/validate';
import { NotFoundError } from '../../errors';
import { basemapStyle, SPRITE_VERSION, STYLE_FLAVORS, STYLE_LANGS } from './style';
import { glyphFile, glyphRange, MAX_FONTSTACK_LENGTH, SPRITE_FILES } from './assets';

const StyleQuery = z.object({
  lang: z.enum(STYLE_LANGS).default('zh'),
  flavor: z.enum(STYLE_FLAVORS).default('light'),
  buildings3d: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

const GlyphParams = z.object({
  fontstack: z.string().min(1).max(MAX_FONTSTACK_LENGTH),
  range: z.string().transform((r, c) => {
    const range = glyphRange(r);
    if (range) return range;
    c.addIssue({ code: 'custom', message: 'must be a 256-code-point range such as 0-255' });
    return z.NEVER;
  }),
});

/** Glyphs and sprites change only with a release: a day in caches. */
const ASSET_CACHE = 'public, max-age=86400';
const EMPTY_GLYPHS = Buffer.alloc(0);

/** The origin the request came to (behind a proxy: X-Forwarded-Proto/Host per TRUST_PROXY). */
function requestOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}

export function styleRoutes(api: Router, ctx: AppContext): void {
  api.get('/style.json', (req, res) => {
    const q = parse(StyleQuery, req.query);
    const style = basemapStyle({ origin: requestOrigin(req), ...q, pmtiles: !!ctx.basemapPmtiles });
    res.set({ 'Cache-Control': 'no-cache', Vary: 'Host, X-Forwarded-Host, X-Forwarded-Proto' }).json(style);
  });

  api.get('/basemap/fonts/:fontstack/:range.pbf', async (req, res) => {
    const p = parse(GlyphParams, req.params);
    const file = glyphFile(p.fontstack, p.range);
    const body = file ? await readFile(file) : EMPTY_GLYPHS;
    res.status(200).set({ 'Content-Type': 'application/x-protobuf', 'Cache-Control': ASSET_CACHE }).send(body);
  });

  api.get(`/basemap/sprites/${SPRITE_VERSION}/:name`, (req, res, next) => {
    const sprite = SPRITE_FILES.get(req.params.name);
    if (!sprite) throw new NotFoundError(`no sprite file ${req.params.name}`);
    res.sendFile(sprite.file, { headers: { 'Content-Type': sprite.type, 'Cache-Control': ASSET_CACHE } }, (e) => e && next(e));
  });

  const pmtiles = ctx.basemapPmtiles;
  if (pmtiles) {
    // `send` answers Range requests itself: 206 with Content-Range, Accept-Ranges: bytes,
    // a strong-enough ETag (size + mtime), If-Range, and 416 when no range is satisfiable.
    api.get('/basemap.pmtiles', (_req, res, next) => {
      res.sendFile(
        pmtiles,
        {
          acceptRanges: true,
          etag: true,
          lastModified: true,
          cacheControl: false,
          headers: { 'Content-Type': 'application/vnd.pmtiles', 'Cache-Control': 'no-cache' },
        },
        (e) => {
          if (!e) return;
          // An unsatisfiable range: `send` has set Content-Range: bytes */size; answer it bare.
          if ((e as { status?: number }).status === 416) res.status(416).end();
          else next(e);
        },
      );
    });
  }
}
