/**
 * `npm run load`: a bounded load test of the API with autocannon, on loopback only.
 *
 *   npm run load                                    # starts its own server (PGlite in memory, demo data)
 *   npm run load -- --pg postgres://postgres@127.0.0.1:5432/test   # its own server on PostgreSQL (a scratch schema)
 *   npm run load -- --url http://127.0.0.1:8080     # a server you started (loopback addresses only)
 *   npm run load -- --scenario heavy --duration 8     # 8 heavy coverage requests while health/nearby/tiles are measured
 *   options: --duration 10 (s per scenario) --connections 16 --import-rows N (default 5000 on PGlite, 20000 on PostgreSQL)
 *            --out bench-results/load.json
 *
 * Scenarios: `GET /api/nearby` at random points of the central districts; vector tiles
 * (z 11–14) over the same area; `POST /api/feedback` (anonymous pins, each one a rate-limit
 * counter upsert and an insert); and reads (nearby + tiles) while an import writes
 * `--import-rows` facilities in one long transaction with the importer's own SQL
 * (server/features/imports/sql/facilities.ts). The server runs in a child process, so
 * autocannon and the server do not share an event loop.
 *
 * Prints req/s and latency percentiles per scenario, writes them as JSON, and exits 1 if
 * any request failed (connection error, timeout, or a status other than 2xx — 429 counts
 * as expected only in the feedback scenario, where the limit is raised so that none occur).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { createScratchSchema, dropScratchSchema } from '../server/db/scratch';
import { createRng, type Rng } from '../core/random';
import { FEEDBACK_CATEGORY_IDS } from '../core/feedback';
import { CATEGORY_IDS } from '../core/catalogue';
import type { FacilityInput } from '../core/import/types';

const HERE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(HERE), '..');

/** Central Chongqing (the nine central districts' core), [w, s, e, n]. */
const AREA: [number, number, number, number] = [106.35, 29.4, 106.75, 29.75];

/** Hard bounds, whatever the options say. */
const MAX_DURATION_S = 120;
const MAX_CONNECTIONS = 256;

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    pg: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    'import-rows': { type: 'string' },
    out: { type: 'string', default: path.join(ROOT, 'bench-results', 'load.json') },
    serve: { type: 'boolean', default: false },
    // `--scenario heavy`: only the heavy-analysis scenario (issue 12 §2)
    scenario: { type: 'string', default: 'all' },
  },
});

// ---------------------------------------------------------------- the server (child process)

interface ToChild {
  type: 'import' | 'stop' | 'stats-start' | 'stats';
  rows?: number;
}
type FromChild =
  | { type: 'ready'; url: string; db: string; facilities: number }
  | { type: 'import-done'; ms: number; rows: number; inserted: number }
  | { type: 'stats'; rssMb: number; loopDelayP50Ms: number; loopDelayP99Ms: number; loopDelayMaxMs: number }
  | { type: 'error'; message: string };

function syntheticFacilities(n: number, rng: Rng): FacilityInput[] {
  return Array.from({ length: n }, (_, i) => ({
    source_id: `load-${i}`,
    category: rng.pick(CATEGORY_IDS),
    name_zh: `负载测试设施 ${i}`,
    name_en: null,
    address: null,
    opening_hours: null,
    capacity: rng.chance(0.3) ? rng.int(20, 400) : null,
    age_min_years: null,
    age_max_years: null,
    ownership: 'unknown',
    inclusive: null,
    amenities: {},
    attributes: { load_test: true },
    phone: null,
    lng: Math.round(rng.uniform(AREA[0], AREA[2]) * 1e7) / 1e7,
    lat: Math.round(rng.uniform(AREA[1], AREA[3]) * 1e7) / 1e7,
    footprint: null,
  }));
}

async function serveChild(): Promise<void> {
  const { startServer } = await import('../server/main');
  const { upsertFacilities, assignDistricts } = await import('../server/features/imports/sql/facilities');
  let schema: string | undefined;
  if (args.pg) {
    schema = await createScratchSchema(args.pg, 'load');
  }
  const running = await startServer({
    inMemory: !args.pg,
    schema,
    config: {
      DATABASE_URL: args.pg,
      PORT: 0,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'auto',
      // The feedback scenario measures write throughput, not the limiter's refusals.
      FEEDBACK_RATE_LIMIT: 10_000_000,
      // the heavy scenario measures the pool's limits, not the anonymous cost gate
      ANALYSIS_COST_THRESHOLD: Number.MAX_SAFE_INTEGER,
    },
    clientDir: path.join(ROOT, 'nonexistent'),
  });
  const n = (await running.db.query<{ n: number }>("SELECT count(*)::int AS n FROM facilities WHERE status = 'active'")).rows[0].n;
  const send = (m: FromChild) => process.send!(m);
  const stop = async () => {
    await running.close();
    if (schema) await dropScratchSchema(args.pg!, schema);
    process.exit(0);
  };
  // the request thread's event-loop delay and the process's peak RSS, between stats-start and stats
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  rssTimer.unref();
  process.on('message', (m: ToChild) => {
    if (m.type === 'stats-start') {
      loop.reset();
      loop.enable();
      peakRss = process.memoryUsage().rss;
    }
    if (m.type === 'stats') {
      loop.disable();
      const ms = (ns: number) => Math.round(ns / 1e5) / 10;
      send({
        type: 'stats',
        rssMb: Math.round(peakRss / 1e6),
        loopDelayP50Ms: ms(loop.percentile(50)),
        loopDelayP99Ms: ms(loop.percentile(99)),
        loopDelayMaxMs: ms(loop.max),
      });
    }
    if (m.type === 'stop') void stop();
    if (m.type === 'import') {
      const rows = syntheticFacilities(m.rows ?? 20_000, createRng(8));
      const t0 = performance.now();
      running.db
        .transaction(async (tx) => {
          const counts = await upsertFacilities(tx, 'load-import', rows, new Date(), 'import:load-import');
          await assignDistricts(tx, 'load-import');
          return counts;
        })
        .then((c) => send({ type: 'import-done', ms: performance.now() - t0, rows: rows.length, inserted: c.inserted }))
        .catch((e: Error) => send({ type: 'error', message: e.message }));
    }
  });
  process.on('disconnect', () => void stop());
  send({ type: 'ready', url: running.url, db: running.db.kind, facilities: n });
}

// ---------------------------------------------------------------- the load (parent)

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!(host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host))) {
    throw new Error(`--url must be a loopback address (127.0.0.0/8, localhost, [::1]); got ${host}`);
  }
}

function tileAt(lng: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lng + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}

type Req = autocannon.Request;

function nearbyRequest(rng: Rng): Req {
  return {
    method: 'GET',
    setupRequest: (r: Req) => {
      const lng = rng.uniform(AREA[0], AREA[2]).toFixed(5);
      const lat = rng.uniform(AREA[1], AREA[3]).toFixed(5);
      return { ...r, path: `/api/nearby?lng=${lng}&lat=${lat}&limit=10` };
    },
  };
}

function tileRequest(rng: Rng): Req {
  return {
    method: 'GET',
    setupRequest: (r: Req) => {
      const z = rng.int(11, 14);
      const [x, y] = tileAt(rng.uniform(AREA[0], AREA[2]), rng.uniform(AREA[1], AREA[3]), z);
      return { ...r, path: `/api/tiles/facilities/${z}/${x}/${y}.pbf` };
    },
  };
}

function feedbackRequest(rng: Rng): Req {
  return {
    method: 'POST',
    path: '/api/feedback',
    headers: { 'content-type': 'application/json' },
    setupRequest: (r: Req) => ({
      ...r,
      body: JSON.stringify({
        category: rng.pick(FEEDBACK_CATEGORY_IDS),
        text: `负载测试 load test ${rng.int(0, 1e9)}`,
        coordinates: [Number(rng.uniform(AREA[0], AREA[2]).toFixed(6)), Number(rng.uniform(AREA[1], AREA[3]).toFixed(6))],
      }),
    }),
  };
}

export interface ScenarioResult {
  scenario: string;
  requests: number;
  durationS: number;
  reqPerS: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Responses that count as failures (see the file comment). */
  unexpected: number;
  notes?: Record<string, unknown>;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** autocannon's run handle: a promise of the result that is also an event emitter (the types miss that). */
type Running = Promise<autocannon.Result> & {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  stop(): void;
};

async function run(
  name: string,
  url: string,
  requests: Req[],
  o: {
    duration: number;
    connections: number;
    allowed?: number[];
    onResponse?: (status: number, ms: number) => void;
    /** Resolves when the run should stop before `duration` (bounded by it all the same). */
    until?: Promise<unknown>;
  },
): Promise<ScenarioResult> {
  const instance = autocannon({ url, connections: o.connections, duration: o.duration, requests, timeout: 30 }) as unknown as Running;
  if (o.onResponse) instance.on('response', (_c, status, _b, ms) => o.onResponse!(status, ms));
  void o.until?.then(() => instance.stop());
  const r = await instance;
  const codes: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) codes[code] = s.count ?? 0;
  const allowed = new Set([200, 201, ...(o.allowed ?? [])]);
  const unexpected = Object.entries(codes)
    .filter(([c]) => !allowed.has(Number(c)))
    .reduce((n, [, k]) => n + k, 0);
  return {
    scenario: name,
    requests: r.requests.total,
    durationS: r.duration,
    reqPerS: Math.round((r.requests.total / r.duration) * 10) / 10,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    statusCodes: codes,
    errors: r.errors,
    timeouts: r.timeouts,
    unexpected,
  };
}

/** Six central districts of the demo dataset: at 60–67 m cells, ~350–400 k cells per analysis. */
const HEAVY_DISTRICTS = '500103,500104,500105,500106,500107,500108';

/**
 * `--scenario heavy` (issue 12 §2): 8 concurrent, distinct heavy coverage requests (cellSizeM
 * 60–67, anonymous → 403 above the cost threshold, so they are sent with ANALYSIS_COST_THRESHOLD
 * raised in the child: the pool's limits, not the gate, are measured) from one client, while
 * autocannon measures /api/health, /api/nearby and tiles; the server reports its event-loop delay
 * and peak RSS over the same span. Baseline in the same run: the same three measured first for
 * the same duration with no heavy request ("quiet"), so the heavy rows read as a ratio to it.
 */
async function heavyScenario(
  url: string,
  rng: Rng,
  child: Awaited<ReturnType<typeof startChild>>,
  duration: number,
): Promise<ScenarioResult[]> {
  const health: Req = { method: 'GET', path: '/api/health' };
  const o = { duration, connections: 4 };
  const quiet = await Promise.all([
    run('GET /api/health, quiet (baseline)', url, [health], o),
    run('GET /api/nearby, quiet (baseline)', url, [nearbyRequest(rng)], o),
    run('tiles, quiet (baseline)', url, [tileRequest(rng)], o),
  ]);
  child.child.send({ type: 'stats-start' } satisfies ToChild);
  const statuses: Record<string, number> = {};
  let heavyDone = 0;
  const heavyMs: number[] = [];
  const t0 = Date.now();
  const heavy = Promise.all(
    [60, 61, 62, 63, 64, 65, 66, 67].map(async (cs) => {
      const s = Date.now();
      const r = await fetch(`${url}/api/coverage?category=kindergarten&mode=both&district=${HEAVY_DISTRICTS}&cellSizeM=${cs}`);
      await r.arrayBuffer();
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      heavyDone++;
      if (r.status === 200) heavyMs.push(Date.now() - s);
    }),
  );
  const [h, n, t] = await Promise.all([
    run('GET /api/health during 8 heavy', url, [health], o),
    run('GET /api/nearby during 8 heavy', url, [nearbyRequest(rng)], o),
    run('tiles during 8 heavy', url, [tileRequest(rng)], o),
  ]);
  await heavy;
  const stats = (await (async () => {
    const p = child.next('stats');
    child.child.send({ type: 'stats' } satisfies ToChild);
    return p;
  })()) as Extract<FromChild, { type: 'stats' }>;
  h.notes = {
    heavyStatusCodes: statuses,
    heavyCompleted: heavyDone,
    heavyAcceptedMs: heavyMs,
    heavySpanMs: Date.now() - t0,
    peakRssMb: stats.rssMb,
    eventLoopDelayMs: { p50: stats.loopDelayP50Ms, p99: stats.loopDelayP99Ms, max: stats.loopDelayMaxMs },
  };
  console.log(
    `\n8 heavy coverage requests: ${Object.entries(statuses)
      .map(([c, k]) => `${c}×${k}`)
      .join(' ')}; accepted ones took ${heavyMs.join(', ')} ms; ` +
      `peak RSS ${stats.rssMb} MB; request-thread event-loop delay p50 ${stats.loopDelayP50Ms} ms, p99 ${stats.loopDelayP99Ms} ms, max ${stats.loopDelayMaxMs} ms`,
  );
  return [...quiet, h, n, t];
}

function table(results: ScenarioResult[]): string {
  const head = ['scenario', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'status codes', 'errors'];
  const rows = results.map((r) => [
    r.scenario,
    String(r.requests),
    r.reqPerS.toFixed(1),
    String(r.latencyMs.p50),
    String(r.latencyMs.p99),
    String(r.latencyMs.max),
    Object.entries(r.statusCodes)
      .map(([c, n]) => `${c}×${n}`)
      .join(' '),
    String(r.errors + r.timeouts),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  return [line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function startChild(): Promise<{
  child: ChildProcess;
  ready: Extract<FromChild, { type: 'ready' }>;
  next: (t: FromChild['type']) => Promise<FromChild>;
}> {
  const child = fork(HERE, ['--serve', ...(args.pg ? ['--pg', args.pg] : [])], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting: { type: string; resolve: (m: FromChild) => void; reject: (e: Error) => void }[] = [];
  child.on('message', (m: FromChild) => {
    if (m.type === 'error') for (const w of waiting.splice(0)) w.reject(new Error(m.message));
    const i = waiting.findIndex((w) => w.type === m.type);
    if (i >= 0) waiting.splice(i, 1)[0].resolve(m);
  });
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`server exited (${code})`));
  });
  const next = (type: FromChild['type']) => new Promise<FromChild>((resolve, reject) => waiting.push({ type, resolve, reject }));
  const ready = (await next('ready')) as Extract<FromChild, { type: 'ready' }>;
  return { child, ready, next };
}

async function main(): Promise<void> {
  const duration = Math.min(MAX_DURATION_S, Math.max(1, Number(args.duration)));
  const connections = Math.min(MAX_CONNECTIONS, Math.max(1, Number(args.connections)));
  // PGlite has one connection: an import transaction holds every read until it commits, so
  // its default import is small enough for reads to wait rather than time out.
  const importRows = Math.min(200_000, Math.max(100, Number(args['import-rows'] ?? (args.pg ? 20_000 : 5_000))));
  if (!Number.isFinite(duration) || !Number.isFinite(connections)) throw new Error('--duration and --connections must be numbers');

  let url = args.url;
  let child: Awaited<ReturnType<typeof startChild>> | undefined;
  let dbKind = 'external';
  if (url) {
    assertLoopback(url);
    url = url.replace(/\/$/, '');
  } else {
    console.log(`starting a server (${args.pg ? 'PostgreSQL, scratch schema' : 'PGlite in memory'}, demo data)…`);
    child = await startChild();
    url = child.ready.url;
    dbKind = child.ready.db;
    console.log(`server on ${url} (${dbKind}, ${child.ready.facilities} facilities)`);
  }
  const rng = createRng(20240601);
  const results: ScenarioResult[] = [];
  const o = { duration, connections };
  try {
    // warm-up: first queries plan and fill caches
    await run('warm-up', url, [nearbyRequest(rng), tileRequest(rng)], { duration: 1, connections: 4 });
    if (args.scenario === 'heavy') {
      if (!child) throw new Error("--scenario heavy starts its own server (it reads the server's event loop and memory); leave out --url");
      results.push(...(await heavyScenario(url, rng, child, duration)));
    } else {
      results.push(await run('GET /api/nearby', url, [nearbyRequest(rng)], o));
      results.push(await run('GET /api/tiles/facilities/z/x/y', url, [tileRequest(rng)], o));
      results.push(await run('POST /api/feedback', url, [feedbackRequest(rng)], { ...o, allowed: [] }));

      if (child) {
        // Reads while an import holds one long write transaction.
        // Every read's [start, end] (ms since epoch); those overlapping the import are "during" it.
        const spans: [number, number][] = [];
        let importStart = 0;
        let importEnd = 0;
        // Reads run from 1 s before the import until 1 s after it (at most MAX_DURATION_S).
        let importFinished!: () => void;
        const finished = new Promise<void>((r) => (importFinished = r));
        const reads = run('reads during an import', url, [nearbyRequest(rng), tileRequest(rng)], {
          ...o,
          duration: MAX_DURATION_S,
          until: finished.then(() => new Promise((r) => setTimeout(r, 1000))),
          onResponse: (_s, ms) => {
            const end = Date.now();
            spans.push([end - ms, end]);
          },
        });
        await new Promise((r) => setTimeout(r, 1000));
        importStart = Date.now();
        const done = child.next('import-done');
        child.child.send({ type: 'import', rows: importRows } satisfies ToChild);
        const m = (await done) as Extract<FromChild, { type: 'import-done' }>;
        importEnd = Date.now();
        importFinished();
        const r = await reads;
        const importMs = importEnd - importStart;
        const overlapping = spans
          .filter(([a, b]) => a < importEnd && b > importStart)
          .map(([a, b]) => b - a)
          .sort((x, y) => x - y);
        const completedInside = spans.filter(([, b]) => b >= importStart && b <= importEnd).length;
        r.notes = {
          importRows,
          importInserted: m.inserted,
          importMs: Math.round(m.ms),
          readsOverlappingImport: overlapping.length,
          readsCompletedWhileImporting: completedInside,
          readsCompletedWhileImportingReqPerS: importMs > 0 ? Math.round((completedInside / importMs) * 1000 * 10) / 10 : 0,
          readsOverlappingImportP99Ms: Math.round(percentile(overlapping, 99)),
          readsOverlappingImportMaxMs: Math.round(overlapping.at(-1) ?? 0),
        };
        results.push(r);
      } else {
        console.log('(reads during an import: skipped with --url; the import runs inside the server the script starts)');
      }
    }
  } finally {
    if (child) {
      const exited = new Promise((r) => child!.child.once('exit', r));
      child.child.send({ type: 'stop' } satisfies ToChild);
      await exited;
    }
  }

  console.log(`\n${table(results)}`);
  const imp = results.find((r) => r.notes?.importRows !== undefined)?.notes;
  if (imp) {
    console.log(
      `\nimport of ${imp.importRows} facilities in one transaction: ${imp.importMs} ms; ` +
        `${imp.readsCompletedWhileImporting} reads completed while it ran (${imp.readsCompletedWhileImportingReqPerS} req/s); ` +
        `the ${imp.readsOverlappingImport} reads that overlapped it: p99 ${imp.readsOverlappingImportP99Ms} ms, max ${imp.readsOverlappingImportMaxMs} ms`,
    );
  }
  const report = {
    when: new Date().toISOString(),
    url: args.url ? url : 'self-started',
    db: dbKind,
    durationS: duration,
    connections,
    node: process.version,
    results,
  };
  mkdirSync(path.dirname(args.out!), { recursive: true });
  writeFileSync(args.out!, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwritten: ${path.relative(process.cwd(), args.out!)}`);
  const bad = results.filter((r) => r.errors > 0 || r.timeouts > 0 || r.unexpected > 0);
  if (bad.length) {
    console.error(`FAILED: unexpected responses or errors in ${bad.map((b) => b.scenario).join(', ')}`);
    process.exitCode = 1;
  }
}

if (args.serve) {
  serveChild().catch((e) => {
    process.send?.({ type: 'error', message: (e as Error).message } satisfies FromChild);
    console.error(e);
    process.exit(1);
  });
} else {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
