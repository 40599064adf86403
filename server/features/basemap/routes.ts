/**
 * The offline vector basemap (issue #11; docs/basemap.md):
 * - `GET /api/tiles/basemap/{z}/{x}/{y}.pbf` — a Mapbox Vector Tile in the Protomaps
 *   basemap schema v4, z 0..16 (MapLibre over-zooms z16 beyond). ETag = data version +
 *   tile address, so an import (or a change of the districts) changes every ETag; a
 *   matching `If-None-Match` answers 304 before any tile query. An empty tile is a 200
 *   with no bytes, as the facility tiles answer.
 * - `GET /api/tiles/basemap.json` — TileJSON 3.0.0 for the style's vector source:
 *   attribution, tiles URL, min/max zoom, and the bounds of the basemap data held (so the
 *   client can go to the imported area).
 */
import type { Router } from 'express';
import type { AppContext } from '../../context';
import { parse } from '../../http/validate';
import { tileParamsSchema } from '../tiles/routes';
import { BASEMAP_LAYERS } from '../../../core/osm/basemap';
import { basemapState, basemapTileEncoded, basemapTileMvt, BASEMAP_MAX_ZOOM, BASEMAP_MIN_ZOOM, districtBounds } from './sql';

/** Required wherever OSM data is drawn (ODbL 1.0 §4.3). */
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors';
export const BASEMAP_TILE_PATH = '/api/tiles/basemap/{z}/{x}/{y}.pbf';

const TileParams = tileParamsSchema(BASEMAP_MAX_ZOOM);

/** Tiles may be reused for a minute without asking; after that, revalidated by ETag. */
const CACHE_CONTROL = 'public, max-age=60, must-revalidate';

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

export function basemapRoutes(api: Router, ctx: AppContext): void {
  api.get('/tiles/basemap/:z/:x/:y.pbf', async (req, res) => {
    const p = parse(TileParams, req.params);
    const { version } = await basemapState(ctx.db);
    const etag = `"bm-${version}-${ctx.tileFeatureCap}-${p.z}-${p.x}-${p.y}"`;
    res.set({ ETag: etag, 'Cache-Control': CACHE_CONTROL });
    if (etagMatches(req.get('If-None-Match'), etag)) {
      res.status(304).end();
      return;
    }
    const t = { ...p, cap: ctx.tileFeatureCap };
    const bytes = ctx.db.capabilities.mvt ? await basemapTileMvt(ctx.db, t) : await basemapTileEncoded(ctx.db, t);
    res.status(200).set('Content-Type', 'application/vnd.mapbox-vector-tile').end(bytes);
  });

  api.get('/tiles/basemap.json', async (req, res) => {
    const state = await basemapState(ctx.db);
    const bounds = state.bounds ?? (await districtBounds(ctx.db)) ?? [-180, -85.0511, 180, 85.0511];
    const origin = `${req.protocol}://${req.get('host')}`;
    res.set({ 'Cache-Control': 'no-cache', ETag: `"bmj-${state.version}"` }).json({
      tilejson: '3.0.0',
      name: 'Child-Friendly City Atlas basemap',
      description: 'OpenStreetMap data held by this atlas, in the Protomaps basemap schema v4',
      version: '4.0.0',
      attribution: `<a href="https://www.openstreetmap.org/copyright">${OSM_ATTRIBUTION}</a>`,
      scheme: 'xyz',
      tiles: [`${origin}${BASEMAP_TILE_PATH}`],
      minzoom: BASEMAP_MIN_ZOOM,
      maxzoom: BASEMAP_MAX_ZOOM,
      bounds: bounds.map((v) => Math.round(v * 1e6) / 1e6),
      center: [Math.round(((bounds[0] + bounds[2]) / 2) * 1e6) / 1e6, Math.round(((bounds[1] + bounds[3]) / 2) * 1e6) / 1e6, 14],
      // whether the bounds are of imported OSM data (false: the districts, or the world)
      data: state.bounds !== null,
      dataVersion: state.version,
      vector_layers: BASEMAP_LAYERS.map((id) => ({ id, fields: {} })),
    });
  });
}
