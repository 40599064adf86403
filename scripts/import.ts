/**
 * `npm run import -- <file> [options]`: load a file into the configured database
 * (DATABASE_URL, or the embedded PGlite at PGLITE_DIR) — OpenStreetMap extracts,
 * facility registers (CSV/XLSX/GeoJSON), census tables, population grids and rasters,
 * district boundaries. A thin face over server/features/imports; see docs/importing.md.
 *
 * While the app (`npm start`) owns the embedded folder, the file is handed to it: uploaded
 * on loopback with the per-start token from the app's lock file, imported by the app
 * with the same importer, progress polled and printed here; the app serves the new data
 * at once. Without a running app the import opens the folder itself (taking its lock).
 * Before writing to the embedded folder, a backup is taken (README "Backups").
 *
 * Exit status: 0 imported (or validated, with --dry-run); 2 nothing written because of
 * --strict; 1 the file or the database could not be used.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db/open';
import { liveLock, type LockInfo } from '../server/db/lock';
import { backupDatabase, backupSettings, type Dumpable } from '../server/db/backup';
import type { ImportJob } from '../server/features/imports/jobs';
import { coverageSourceFor, snapshotIndicators } from '../server/features/indicators';
import { closeAnalysisPool } from '../server/analysis/pool';
import { importFile, writeReport, defaultReportPath, type ImportOptions, type ImportSummary } from '../server/features/imports/index';
import { CRS_IDS, type Crs } from '../core/datum';
import { CATEGORY_IDS, type CategoryId } from '../core/catalogue';
import { parseMapOption } from '../core/import/columns';
import type { ImportKind } from '../core/import/types';

const USAGE = `Usage: npm run import -- <file> [options]

  --kind facilities|network|population|districts|elevation   what to fill (default: detected; OSM = facilities + network; a DEM GeoTIFF = elevation)
  --crs wgs84|gcj02|bd09|cgcs2000                  datum of the coordinates (default: from the headers, else wgs84)
  --category <id>                                  one category for every row (${CATEGORY_IDS.join(', ')})
  --source <name>                                  source name (default: osm for OSM, else the file name)
  --map field=表头,field=表头                        column overrides, e.g. --map name=机构名称,lng=X
  --sheet <name>                                   XLSX worksheet (default: the first)
  --dry-run                                        validate and report, write nothing
  --strict                                         write nothing if any row is rejected
  --full                                           the file is the whole source: retire what it no longer has
  --no-extent-check / --extent-check               skip / force the city-extent check
  --no-snapshot                                    do not save an indicator snapshot after the import
  --report <path.json|path.csv>                    rejection report (default: a temp file, path printed)
  --json                                           print the summary as JSON
`;

const KINDS: readonly ImportKind[] = ['facilities', 'network', 'population', 'districts', 'elevation'];

function fail(message: string): never {
  console.error(`import: ${message}\n\n${USAGE}`);
  process.exit(1);
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** A progress bar on stderr, only on a terminal, redrawn at most 10 times a second. */
function progressBar(): ImportOptions['onProgress'] {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  let lastPhase = '';
  let lastLine = '';
  return ({ phase, done, total }) => {
    const now = Date.now();
    if (now - last < 100 && phase === lastPhase && done !== total) return;
    last = now;
    lastPhase = phase;
    const width = 30;
    const line =
      total > 0
        ? `[${'#'.repeat(Math.round((width * Math.min(done, total)) / total)).padEnd(width, '-')}] ${Math.floor(
            (100 * Math.min(done, total)) / total,
          )
            .toString()
            .padStart(3)}% ${phase}`
        : `${phase}: ${fmt(done)}`;
    if (line === lastLine) return;
    lastLine = line;
    process.stderr.write(`\r${line.padEnd(process.stderr.columns ? process.stderr.columns - 1 : 79)}`);
  };
}

function printSummary(s: ImportSummary): void {
  const head = s.status === 'done' ? 'Imported' : s.status === 'dry-run' ? 'Checked (dry run, nothing written)' : 'NOT imported';
  console.log(
    `${head}: ${path.basename(s.file)} (${s.format}${s.encoding ? `, ${s.encoding}` : ''}) as source "${s.source}" → ${s.kinds.join(' + ')}${s.runId ? `  [run #${s.runId}]` : ''}`,
  );
  if (s.message) console.log(`  ${s.message}`);
  console.log(
    `  ${s.kinds[0] === 'network' ? 'records' : s.kinds.includes('facilities') ? 'facilities' : s.kinds[0]}:  read ${fmt(s.read)}  inserted ${fmt(s.inserted)}  updated ${fmt(s.updated)}  unchanged ${fmt(s.unchanged)}  retired ${fmt(s.retired)}  rejected ${fmt(s.rejected)}`,
  );
  if (s.kinds[0] === 'elevation' && s.details) {
    const d = s.details as { edgesSampled: number; edgesOutside: number; epsg: number; label: string };
    console.log(
      `    network edges sampled ${fmt(d.edgesSampled)}, outside the DEM (flat) ${fmt(d.edgesOutside)}; EPSG:${d.epsg}; shown as "${d.label}"`,
    );
  }
  if (s.byCategory && Object.keys(s.byCategory).length) {
    console.log(
      `    ${Object.entries(s.byCategory)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(', ')}`,
    );
  }
  const n = s.network;
  if (n) {
    const e = n.edges;
    console.log(
      `  network:  edges read ${fmt(e.read)} (inserted ${fmt(e.inserted)}, updated ${fmt(e.updated)}, unchanged ${fmt(e.unchanged)}, removed ${fmt(e.retired)}); ` +
        `nodes ${fmt(n.nodes.read)}; ${n.lengthKm.toFixed(1)} km; ${fmt(n.stepsEdges)} steps edges, ${fmt(n.crossingEdges)} crossing edges, ${fmt(n.crossingNodes)} crossing nodes`,
    );
    if (n.missingNodeRefs)
      console.log(
        `            ${fmt(n.missingNodeRefs)} of ${fmt(n.nodeRefs)} node refs missing from the extract; ${fmt(n.waysCut)} ways split there`,
      );
  }
  const b = s.basemap;
  if (b)
    console.log(
      `  basemap:  ${Object.entries(b.byLayer)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(', ')} (docs/basemap.md)`,
    );
  if (s.details) console.log(`  details:  ${JSON.stringify(s.details)}`);
  const t = s.timings;
  console.log(
    `  time ${(t.totalMs / 1000).toFixed(2)} s (parse ${(t.parseMs / 1000).toFixed(2)} s, write ${(t.writeMs / 1000).toFixed(2)} s) · ` +
      `${fmt(s.rates.featuresPerS)} records/s${n ? ` · ${fmt(s.rates.edgesPerS)} edges/s` : ''} · peak RSS ${fmt(Math.round(s.peakRssMb))} MB (+${fmt(Math.round(s.peakRssMb - s.baselineRssMb))} MB during the import)`,
  );
  for (const w of s.warnings) console.log(`  warning: ${w}`);
  if (s.rejected) {
    const byCode = new Map<string, number>();
    for (const r of s.rejections) byCode.set(r.code, (byCode.get(r.code) ?? 0) + 1);
    console.log(`  rejected ${fmt(s.rejected)} row(s): ${[...byCode].map(([c, k]) => `${c} ${k}`).join(', ')}`);
    for (const r of s.rejections.slice(0, 10)) console.log(`    ${r.row !== null ? `row ${r.row}` : (r.source_id ?? '')}: ${r.reason}`);
    if (s.rejected > 10) console.log(`    … see the report`);
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      kind: { type: 'string' },
      crs: { type: 'string' },
      category: { type: 'string' },
      source: { type: 'string' },
      map: { type: 'string' },
      sheet: { type: 'string' },
      'dry-run': { type: 'boolean' },
      strict: { type: 'boolean' },
      full: { type: 'boolean' },
      'no-extent-check': { type: 'boolean' },
      'extent-check': { type: 'boolean' },
      report: { type: 'string' },
      json: { type: 'boolean' },
      'no-snapshot': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) fail('give exactly one file');
  const file = positionals[0];
  if (values.kind && !KINDS.includes(values.kind as ImportKind)) fail(`--kind ${values.kind}: expected ${KINDS.join('|')}`);
  if (values.crs && !CRS_IDS.includes(values.crs as Crs)) fail(`--crs ${values.crs}: expected ${CRS_IDS.join('|')}`);
  if (values.category && !CATEGORY_IDS.includes(values.category as CategoryId))
    fail(`--category ${values.category}: expected one of ${CATEGORY_IDS.join(', ')}`);
  let map: ImportOptions['map'];
  try {
    map = values.map ? parseMapOption(values.map) : undefined;
  } catch (e) {
    fail((e as Error).message);
  }

  const config = loadConfig();
  const options: ImportOptions = {
    kind: values.kind as ImportKind | undefined,
    crs: values.crs as Crs | undefined,
    category: values.category as CategoryId | undefined,
    source: values.source,
    map,
    sheet: values.sheet,
    dryRun: values['dry-run'],
    strict: values.strict,
    full: values.full,
    extentCheck: values['no-extent-check'] ? false : values['extent-check'] ? true : undefined,
  };
  const reportPath = values.report ?? defaultReportPath(file);
  const finish = (summary: ImportSummary): number => {
    summary.reportPath = writeReport(summary, reportPath);
    if (values.json) console.log(JSON.stringify(summary, null, 2));
    else {
      printSummary(summary);
      console.log(`  report: ${summary.reportPath}`);
    }
    return summary.status === 'failed' ? 2 : 0;
  };

  const holder = config.DATABASE_URL ? null : liveLock(config.PGLITE_DIR);
  if (holder?.role === 'app' && holder.url && holder.token) {
    return finish(await handOff(holder, file, options, !values['no-snapshot']));
  }

  const { db } = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDir: config.DATABASE_URL ? undefined : config.PGLITE_DIR,
    role: 'import',
  });
  const onProgress = progressBar();
  let summary: ImportSummary;
  try {
    if (!config.DATABASE_URL && !options.dryRun) {
      const b = await backupDatabase(db as Dumpable, backupSettings(config), 'pre-import');
      if (b) console.log(`Backup before importing: ${b.file} (${(b.bytes / 1e6).toFixed(1)} MB)`);
    }
    summary = await importFile(db, file, { ...options, onProgress });
    // Plan §三十六 (监测评估): every import that changed facilities records the indicator
    // set as it stands afterwards, so the trend shows what the new data changed.
    const changed = summary.inserted + summary.updated + summary.retired > 0;
    if (summary.status === 'done' && !values['dry-run'] && !values['no-snapshot'] && changed && summary.runId !== null) {
      try {
        // a CLI can wait: the walking-coverage indicators are computed now (~20–40 s for the whole city)
        const t0 = Date.now();
        const snap = await snapshotIndicators(db, `import:${summary.source}`, {
          importRunId: summary.runId,
          coverage: coverageSourceFor(db).wait,
        });
        console.log(
          `Indicator snapshot saved (${snap.rows} values; walking coverage computed in ${((Date.now() - t0) / 1000).toFixed(1)} s).`,
        );
      } catch (e) {
        console.warn(`Indicator snapshot not saved: ${(e as Error).message}`);
      }
    }
  } finally {
    if (onProgress) process.stderr.write('\r\x1b[K');
    // the snapshot's walking coverage ran in the analysis pool's worker threads: stop them
    await closeAnalysisPool(db);
    await db.close();
  }
  return finish(summary);
}

/** Hands the file to the running app (loopback + the token of its lock file) and follows the job. */
async function handOff(app: LockInfo, file: string, options: ImportOptions, snapshot: boolean): Promise<ImportSummary> {
  const size = statSync(file).size;
  console.log(
    `The atlas app is running (pid ${app.pid}, ${app.url}): handing ${path.basename(file)} (${(size / 1e6).toFixed(1)} MB) to it.`,
  );
  const q = new URLSearchParams({ name: path.basename(file) });
  for (const [k, v] of Object.entries({ ...options, snapshot })) {
    if (v === undefined) continue;
    q.set(
      k,
      k === 'map'
        ? Object.entries(v as Record<string, string>)
            .map(([f, c]) => `${f}=${c}`)
            .join(',')
        : String(v),
    );
  }
  const auth = { authorization: `Bearer ${app.token}` };
  const res = await fetch(`${app.url}/api/admin/imports?${q}`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const body = (await res.json()) as ImportJob & { error?: { message: string } };
  if (res.status !== 202) throw new Error(`the app refused the import (${res.status}): ${body.error?.message ?? JSON.stringify(body)}`);
  const onProgress = progressBar();
  let job = body;
  try {
    while (job.status === 'queued' || job.status === 'running' || job.snapshot === 'computing') {
      await new Promise((r) => setTimeout(r, 200));
      const r = await fetch(`${app.url}/api/admin/imports/${job.id}`, { headers: auth });
      if (r.status !== 200) throw new Error(`the app stopped answering about the import (${r.status}); see its log`);
      job = (await r.json()) as ImportJob;
      if (job.progress && onProgress) onProgress(job.progress);
    }
  } finally {
    if (onProgress) process.stderr.write('\r\x1b[K');
  }
  if (job.backup) console.log(`Backup before importing: ${job.backup.file} (${(job.backup.bytes / 1e6).toFixed(1)} MB)`);
  if (job.snapshot) console.log(`Indicator snapshot: ${job.snapshot}.`);
  if (!job.summary) throw new Error(job.message ?? 'the import failed');
  return { ...job.summary, file: path.resolve(file) };
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`import failed: ${(e as Error).message}`);
    process.exit(1);
  },
);
