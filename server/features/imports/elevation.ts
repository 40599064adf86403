/**
 * Elevation rasters (DEM GeoTIFFs, any CRS of core/import/dem.ts `projDefinition`) →
 * per-edge elevation of the walking network (`network_edges.ele_*`, migration 007), for
 * slope-aware walking effort (core/coverage/slope.ts).
 *
 * Every network edge whose bbox meets the raster's (WGS84) bbox is sampled every
 * {@link PROFILE_SPACING_M} m along its line (bilinear); bridges and tunnels only at their two
 * ends (the DEM shows the valley under a bridge, the hill over a tunnel). An edge with any
 * sample outside the raster or on nodata keeps NULL (flat). Re-importing replaces: in one
 * transaction every edge's elevation is cleared, then the sampled ones written, and
 * `dataset_meta.dem_source` records the file, its CRS, pixel size, counts and the source
 * label shown wherever slope is used (`--source`, else "unknown-source DEM (<file>)").
 *
 * @example await importFile(db, 'yuzhong_elevation_utm48n.tif', { kind: 'elevation', source: 'unknown-source DEM (test data)' });
 */
import path from 'node:path';
import { gridSampler, projDefinition, riseFall, sampleLine, type ElevationGrid } from '../../../core/import/dem';
import type { Queryable } from '../../db/adapter';
import { toBuffer } from '../../db/adapter';
import { readWkbLineString } from '../routes/sql';
import type { ImportContext } from './context';

/** Distance between profile samples, metres (the issue asks for ~10–20 m; a 30 m DEM holds nothing finer). */
export const PROFILE_SPACING_M = 15;
/** Largest raster read, pixels (a 1-arc-second DEM of a 100 km × 100 km city is ~11 M). */
export const MAX_DEM_PIXELS = 50_000_000;
/** Most edges sampled in one import. */
export const MAX_DEM_EDGES = 5_000_000;
const PAGE = 20_000;
const WRITE_BATCH = 2_000;

/** The `dataset_meta` value under `dem_source`. */
export interface DemSource {
  /** What the answers show: "elevation: …". */
  label: string;
  file: string;
  epsg: number;
  pixelM: [number, number];
  bbox: [number, number, number, number];
  spacingM: number;
  edgesSampled: number;
  edgesOutside: number;
  importedAt: string;
  note: string;
}

/** The EPSG code of a GeoTIFF's CRS (projected first, then geographic); null when unknown. */
export function epsgOf(keys: Record<string, number>): number | null {
  const p = keys.ProjectedCSTypeGeoKey;
  if (p && p !== 32767) return p;
  const g = keys.GeographicTypeGeoKey;
  if (g && g !== 32767) return g;
  return null;
}

export async function importElevation(ctx: ImportContext): Promise<void> {
  const { summary, opts, db } = ctx;
  summary.kinds = ['elevation'];
  // geotiff and proj4 are loaded with the first DEM, not at start (issue 13)
  const [{ fromFile }, { default: proj4 }] = await Promise.all([import('geotiff'), import('proj4')]);
  const tiff = await fromFile(ctx.file);
  const image = await tiff.getImage();
  const keys = (image.getGeoKeys() ?? {}) as Record<string, number>;
  const epsg = epsgOf(keys);
  if (epsg === null) throw new Error('the DEM has no EPSG code in its GeoKeys; write one with `gdal_translate -a_srs EPSG:…`');
  const def = projDefinition(epsg);
  if (!def)
    throw new Error(
      `the DEM's CRS EPSG:${epsg} is not read here (WGS84 4326, CGCS2000 4490, 3857, UTM 326xx/327xx, CGCS2000 GK 4534–4554): reproject it with \`gdalwarp -t_srs EPSG:4326\``,
    );
  summary.crs = 'wgs84';
  const width = image.getWidth();
  const height = image.getHeight();
  if (width * height > MAX_DEM_PIXELS)
    throw new Error(
      `the DEM has ${width} × ${height} pixels, more than ${MAX_DEM_PIXELS.toLocaleString('en-US')}: clip it to the city first (gdal_translate -projwin …)`,
    );
  const [originX, originY] = image.getOrigin();
  // north-up rasters (GeoTIFF ModelPixelScale is positive; rows run south): y shrinks with the row
  const [resX, resYRaw] = image.getResolution();
  const resY = -Math.abs(resYRaw);
  const [band] = (await image.readRasters({ samples: [0] })) as unknown as ArrayLike<number>[];
  const grid: ElevationGrid = { width, height, data: band, originX, originY, resX, resY, noData: image.getGDALNoData() };
  const proj = proj4(def);
  const forward = (p: [number, number]) => proj.forward(p);
  const at = gridSampler(grid, forward);

  // the raster's WGS84 bbox: its outline, 20 points a side, back to lng/lat
  let w = Infinity,
    s = Infinity,
    e = -Infinity,
    n = -Infinity;
  for (let i = 0; i <= 20; i++) {
    for (const [fx, fy] of [
      [i / 20, 0],
      [i / 20, 1],
      [0, i / 20],
      [1, i / 20],
    ]) {
      const [lng, lat] = proj.inverse([originX + fx * width * resX, originY + fy * height * resY]);
      w = Math.min(w, lng);
      e = Math.max(e, lng);
      s = Math.min(s, lat);
      n = Math.max(n, lat);
    }
  }
  const bbox: [number, number, number, number] = [w, s, e, n];
  summary.extent = { bbox, from: 'off' };

  const total = Number((await db.query<{ n: number }>(`SELECT count(*)::float8 AS n FROM network_edges`)).rows[0].n);
  const ids: number[] = [],
    from: number[] = [],
    to: number[] = [],
    rise: number[] = [],
    fall: number[] = [],
    profiles: string[] = [];
  let after = 0;
  let seen = 0;
  for (;;) {
    const page = await db.query<{ id: number; wkb: unknown; ends_only: boolean }>(
      `SELECT id, ST_AsBinary(geom) AS wkb, (tags ? 'bridge' AND tags->>'bridge' <> 'no') OR (tags ? 'tunnel' AND tags->>'tunnel' <> 'no') AS ends_only
         FROM network_edges
        WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) AND id > $5
        ORDER BY id LIMIT $6`,
      [...bbox, after, PAGE],
    );
    for (const r of page.rows) {
      const coords: number[] = [];
      const nv = readWkbLineString(toBuffer(r.wkb), coords);
      if (nv < 2) continue;
      const ele = sampleLine(coords, 0, nv - 1, PROFILE_SPACING_M, at, r.ends_only);
      if (!ele) continue;
      const rf = riseFall(ele);
      ids.push(r.id);
      from.push(ele[0]);
      to.push(ele[ele.length - 1]);
      rise.push(Math.round(rf.riseM * 100) / 100);
      fall.push(Math.round(rf.fallM * 100) / 100);
      profiles.push(`{${ele.join(',')}}`);
    }
    seen += page.rows.length;
    ctx.progress('sample edges', seen, total);
    ctx.sampleRss();
    if (seen > MAX_DEM_EDGES)
      throw new Error(`more than ${MAX_DEM_EDGES.toLocaleString('en-US')} edges inside the DEM: import a smaller raster`);
    if (page.rows.length < PAGE) break;
    after = page.rows[page.rows.length - 1].id;
  }
  const sampled = ids.length;
  const outside = total - sampled;
  summary.read = sampled;
  const label = `elevation: ${opts.source ?? `unknown-source DEM (${path.basename(ctx.file)})`}`;
  const pixelM: [number, number] =
    epsg === 4326 || epsg === 4490 ? [Math.abs(resX) * 111_320, Math.abs(resY) * 111_320] : [Math.abs(resX), Math.abs(resY)];
  const meta: DemSource = {
    label,
    file: path.basename(ctx.file),
    epsg,
    pixelM: [Math.round(pixelM[0] * 10) / 10, Math.round(pixelM[1] * 10) / 10],
    bbox: bbox.map((v) => Math.round(v * 1e6) / 1e6) as DemSource['bbox'],
    spacingM: PROFILE_SPACING_M,
    edgesSampled: sampled,
    edgesOutside: outside,
    importedAt: new Date().toISOString(),
    note:
      `Edge elevations sampled every ${PROFILE_SPACING_M} m (bilinear) from ${path.basename(ctx.file)} (EPSG:${epsg}, ` +
      `${Math.round(pixelM[0])} m pixels); bridges and tunnels by their ends only; ${outside} edge(s) outside the raster stay flat. ` +
      `A DEM of this resolution smooths stairs, walls and cuttings: slopes are indicative. Source as stated by the importer: ${opts.source ?? 'not stated'}.`,
  };
  summary.details = {
    ...summary.details,
    edgesSampled: sampled,
    edgesOutside: outside,
    epsg,
    width,
    height,
    pixelM: meta.pixelM,
    spacingM: PROFILE_SPACING_M,
    label,
  };
  if (!sampled) ctx.warn('no network edge lies inside the DEM: import the street network (OSM) of the same area first');
  if (!opts.source) ctx.warn(`the DEM's source was not given (--source): it is labelled "${label}" wherever slope is used`);
  await ctx.write(async (tx) => {
    await writeElevation(tx, { ids, from, to, rise, fall, profiles }, (done) => ctx.progress('write elevations', done, sampled));
    await tx.query(
      `INSERT INTO dataset_meta (key, value) VALUES ('dem_source', $1::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [JSON.stringify(meta)],
    );
  });
  if (summary.status === 'done') summary.updated = sampled;
}

/** Clears every edge's elevation, then writes the sampled ones (inside the caller's transaction). */
export async function writeElevation(
  tx: Queryable,
  v: { ids: number[]; from: number[]; to: number[]; rise: number[]; fall: number[]; profiles: string[] },
  onProgress?: (done: number) => void,
): Promise<void> {
  await tx.query(
    `UPDATE network_edges SET ele_from_m = NULL, ele_to_m = NULL, rise_m = NULL, fall_m = NULL, ele_profile = NULL WHERE ele_profile IS NOT NULL`,
  );
  for (let i = 0; i < v.ids.length; i += WRITE_BATCH) {
    const j = Math.min(v.ids.length, i + WRITE_BATCH);
    await tx.query(
      `UPDATE network_edges e
          SET ele_from_m = x.f, ele_to_m = x.t, rise_m = x.r, fall_m = x.d, ele_profile = x.p::real[]
         FROM unnest($1::int[], $2::real[], $3::real[], $4::real[], $5::real[], $6::text[]) AS x(id, f, t, r, d, p)
        WHERE e.id = x.id`,
      [v.ids.slice(i, j), v.from.slice(i, j), v.to.slice(i, j), v.rise.slice(i, j), v.fall.slice(i, j), v.profiles.slice(i, j)],
    );
    onProgress?.(j);
  }
}

/** The imported DEM's provenance (`dataset_meta.dem_source`), null when none. */
export async function demSource(q: Queryable): Promise<DemSource | null> {
  const r = await q.query<{ value: DemSource }>(`SELECT value FROM dataset_meta WHERE key = 'dem_source'`);
  return r.rows[0]?.value ?? null;
}
