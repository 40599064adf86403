/**
 * The real 渝中区 OpenStreetMap data carried in `data/osm/yuzhong/` (ODbL, see its
 * SOURCE.md), loaded on first start next to the demo dataset: the walking network, the
 * buildings and the facilities OSM has there, through the ordinary importer
 * (`importFile`: one transaction per file, recorded in `import_runs`), under the source
 * name {@link OSM_SEED_SOURCE}. Recorded in `dataset_meta` ({@link OSM_SEED_META_KEY}) so
 * that it happens once, also on a database seeded before this step existed.
 *
 * The drive network is carried too but not imported: its ways are split at other nodes
 * than the walk network's (fewer ways cross them), so importing it under the same source
 * would re-split the walk edges `(source, way_id, seq)`, and under another source it
 * would double every shared street. The 53 ways it adds are trunk/primary/secondary
 * carriageways OSMnx left out of walking (foot=no, sidewalk=separate, tunnels).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/adapter';
import { PROJECT_ROOT } from '../config';
import { importFile } from '../features/imports';
import type { SeedLog } from './demo';

export const OSM_SEED_DIR = path.join(PROJECT_ROOT, 'data', 'osm', 'yuzhong');
/** Source name of every row the seed writes (facilities, network edges and nodes). */
export const OSM_SEED_SOURCE = 'osm-yuzhong';
export const OSM_SEED_META_KEY = 'osm_yuzhong_seed';

/** The files, in import order (the walking network first: it is what routes need). */
export const OSM_SEED_FILES = [
  'yuzhong_walk.overpass.json.gz',
  'yuzhong_buildings.overpass.json.gz',
  'yuzhong_pois.overpass.json',
] as const;

export interface OsmSeedResult {
  files: { file: string; runId: number | null; facilities: number; edges: number; ms: number }[];
  ms: number;
}

/** Import the carried 渝中 files, unconditionally (the importer is idempotent). */
export async function seedOsmYuzhong(db: Db): Promise<OsmSeedResult> {
  const t0 = performance.now();
  const files: OsmSeedResult['files'] = [];
  for (const name of OSM_SEED_FILES) {
    const t = performance.now();
    // extentCheck off: the data is the district itself, and the check is about wrong files
    const s = await importFile(db, path.join(OSM_SEED_DIR, name), { source: OSM_SEED_SOURCE, extentCheck: false });
    files.push({
      file: name,
      runId: s.runId,
      facilities: s.inserted + s.updated + s.unchanged,
      edges: s.network?.edges.read ?? 0,
      ms: Math.round(performance.now() - t),
    });
  }
  await db.exec('ANALYZE network_edges; ANALYZE network_nodes; ANALYZE facilities;');
  const ms = Math.round(performance.now() - t0);
  await db.query(
    `INSERT INTO dataset_meta (key, value) VALUES ($1, $2::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [OSM_SEED_META_KEY, JSON.stringify({ source: OSM_SEED_SOURCE, files, ms, seededAt: new Date().toISOString() })],
  );
  return { files, ms };
}

/**
 * Seed the 渝中 OSM data once: when the districts are there (the demo seed ran) and
 * `dataset_meta` has no record of it. Skipped, with a log line, when the data folder is
 * missing (a trimmed deployment).
 * @returns true when it seeded.
 */
export async function seedOsmIfAbsent(db: Db, log: SeedLog): Promise<boolean> {
  const meta = await db.query('SELECT 1 FROM dataset_meta WHERE key = $1', [OSM_SEED_META_KEY]);
  if (meta.rows.length) return false;
  const d = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM districts WHERE code = '500103'`);
  if (d.rows[0].n === 0) return false;
  if (!OSM_SEED_FILES.every((f) => existsSync(path.join(OSM_SEED_DIR, f)))) {
    log.info({ dir: OSM_SEED_DIR }, 'OSM seed skipped: data/osm/yuzhong is incomplete');
    return false;
  }
  const out = await seedOsmYuzhong(db);
  log.info({ source: OSM_SEED_SOURCE, files: out.files, ms: out.ms }, '渝中 OpenStreetMap data seeded');
  return true;
}
