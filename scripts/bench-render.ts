/**
 * First render of the map in a real browser (Debian chromium, SwiftShader WebGL), against
 * the same page with the basemap layers hidden, measured in the same run. Rows
 * `{ name, ms, baselineMs, ratio, note }` with `ratio = baselineMs / ms` (below 1: the
 * basemap costs that much more than the district-only map).
 *
 * 1. **page → map idle**: navigation start → the map's first `idle` at the opening view
 *    (style, glyphs, sprites, tiles of the opening view drawn), `performance.now()` in the page.
 * 2. **解放碑 z16 → idle**: from `jumpTo` 解放碑 (106.5775, 29.5580) at zoom 16 to `idle`,
 *    with the basemap tiles of that street view fetched cold (a fresh browser context).
 *
 * Baseline: `/api/style.json` answered with every basemap layer but the background set to
 * `visibility: none` (the same page, app and overlays; no basemap tile is drawn or fetched).
 * Data: the real 渝中 walking network and buildings from ../shared/data/chongqing, imported
 * into an in-memory database when it does not hold them (skipped when ../shared is absent).
 * Median of RUNS fresh contexts each, alternating basemap and baseline.
 *
 * Run: `npx tsx scripts/bench-render.ts` (rows also returned by `runRenderBench()` for
 * `npm run bench`). Needs /usr/bin/chromium and a built client (`npm run build`; built here
 * when missing).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { PROJECT_ROOT } from '../server/config';
import { startServer } from '../server/main';
import { importFile } from '../server/features/imports/index';
import type { BenchResult } from './bench-coverage';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
];
const YUZHONG = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'chongqing');
const YUZHONG_FILES = ['yuzhong_walk.overpass.json', 'yuzhong_buildings.overpass.json'].map((f) => path.join(YUZHONG, f));
const JIEFANGBEI: [number, number] = [106.5775, 29.558];
const RUNS = 3;

interface Timing {
  openMs: number;
  streetMs: number;
}

type BenchMap = {
  loaded(): boolean;
  once(ev: string, cb: () => void): void;
  jumpTo(o: { center: [number, number]; zoom: number }): void;
  areTilesLoaded(): boolean;
};

async function measure(browser: Browser, baseUrl: string, hideBasemap: boolean): Promise<Timing> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    if (hideBasemap) {
      await page.route('**/api/style.json*', async (route) => {
        const res = await route.fetch();
        const style = (await res.json()) as { layers: { type: string; layout?: Record<string, unknown> }[] };
        for (const l of style.layers) if (l.type !== 'background') l.layout = { ...l.layout, visibility: 'none' };
        await route.fulfill({ response: res, json: style });
      });
    }
    // Record the first `idle` of the map as soon as the map exists.
    await page.addInitScript(() => {
      const w = window as unknown as { __atlasMap?: BenchMap; __firstIdleMs?: number };
      const poll = setInterval(() => {
        const map = w.__atlasMap;
        if (!map) return;
        clearInterval(poll);
        map.once('idle', () => (w.__firstIdleMs = performance.now()));
      }, 5);
    });
    await page.goto(`${baseUrl}/?lang=zh`);
    await page.waitForFunction(() => typeof (window as unknown as { __firstIdleMs?: number }).__firstIdleMs === 'number', undefined, {
      timeout: 120_000,
    });
    const openMs = await page.evaluate(() => (window as unknown as { __firstIdleMs: number }).__firstIdleMs);
    const streetMs = await page.evaluate(
      (c) =>
        new Promise<number>((resolve) => {
          const map = (window as unknown as { __atlasMap: BenchMap }).__atlasMap;
          const t0 = performance.now();
          map.once('idle', () => resolve(performance.now() - t0));
          map.jumpTo({ center: c as [number, number], zoom: 16 });
        }),
      JIEFANGBEI,
    );
    return { openMs, streetMs };
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runRenderBench(o: { log?: (s: string) => void } = {}): Promise<BenchResult[]> {
  const log = o.log ?? (() => undefined);
  if (!existsSync(CHROMIUM)) {
    log(`skipped: ${CHROMIUM} missing`);
    return [];
  }
  if (!YUZHONG_FILES.every((f) => existsSync(f))) {
    log('skipped: ../shared/data/chongqing (the real 渝中 data) is absent');
    return [];
  }
  if (!existsSync(path.join(PROJECT_ROOT, 'dist', 'client', 'index.html'))) {
    log('building the client …');
    execFileSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
    });
  }
  const server = await startServer({ inMemory: true, config: { PORT: 0, HOST: '127.0.0.1', LOG_LEVEL: 'silent' } });
  let browser: Browser | undefined;
  try {
    const held = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM network_edges
        WHERE geom && ST_MakeEnvelope($1 - 0.005, $2 - 0.005, $1 + 0.005, $2 + 0.005, 4326)`,
      JIEFANGBEI,
    );
    if (held.rows[0].n === 0) for (const f of YUZHONG_FILES) await importFile(server.db, f, { extentCheck: false });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // One unmeasured pass each: the server's first tile encodes and the client chunks off disk.
    await measure(browser, server.url, false);
    await measure(browser, server.url, true);
    const withBasemap: Timing[] = [];
    const hidden: Timing[] = [];
    for (let k = 0; k < RUNS; k++) {
      withBasemap.push(await measure(browser, server.url, false));
      hidden.push(await measure(browser, server.url, true));
    }
    const rows: BenchResult[] = [];
    for (const [key, name, note] of [
      [
        'openMs',
        'first render: navigation start → map idle (opening view)',
        'style + glyphs + sprites + basemap tiles of the opening view; baseline: basemap layers hidden',
      ],
      [
        'streetMs',
        'first render: 解放碑 z16 jumpTo → map idle (cold tiles)',
        'basemap tiles at z16 on 渝中 fetched and drawn; baseline: basemap layers hidden',
      ],
    ] as const) {
      const ms = median(withBasemap.map((t) => t[key]));
      const baselineMs = median(hidden.map((t) => t[key]));
      rows.push({
        name,
        ms: +ms.toFixed(1),
        baselineMs: +baselineMs.toFixed(1),
        ratio: +(baselineMs / ms).toFixed(2),
        note: `${note}; median of ${RUNS}, chromium SwiftShader 1280×800`,
      });
      log(`${name}: ${ms.toFixed(0)} ms (basemap hidden ${baselineMs.toFixed(0)} ms)`);
    }
    return rows;
  } finally {
    await browser?.close();
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runRenderBench({ log: console.log }).then(
    (rows) => console.table(rows),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
