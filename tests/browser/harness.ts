/**
 * Shared setup for the browser suites (tests/browser/*.test.ts): the Debian chromium
 * launch, the CI-vs-local skip when it is missing, building the client when stale,
 * starting the real server in memory, screenshots into tests/artifacts/, the axe-core
 * scan, and the waits on the MapLibre map the suites share.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { RunningServer, StartOptions } from '../../server/main';
import { withFileLock } from '../support/fileLock';
import { seededTemplate, withPgliteTemplate } from '../support/seededTemplate';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');
const AXE_SOURCE = readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** The MapLibre layer of facility markers. */
export const FACILITY_LAYER = 'atlas-facilities';
/** The near-me point: Jiefangbei, Yuzhong district (WGS84). */
export const JIEFANGBEI = { longitude: 106.5775, latitude: 29.5572 };
export const DESKTOP = { viewport: { width: 1280, height: 800 } };
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** Whether /usr/bin/chromium exists; suites use `describe.skipIf(!hasChromium)`. */
export const hasChromium = existsSync(CHROMIUM);

/** On CI a missing chromium is a failure (CI installs it), not a silent skip: registers a failing test. */
export function failOnCiWithoutChromium(suite: string): void {
  if (hasChromium || !process.env.CI) return;
  describe(suite, () => {
    it('needs chromium at /usr/bin/chromium (CI installs it)', () => {
      throw new Error(`${CHROMIUM} is missing: install the Debian chromium package`);
    });
  });
}

/** Chromium, headless, with software WebGL. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function clientIsFresh(): boolean {
  const index = path.join(ROOT, 'dist', 'client', 'index.html');
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'client')),
    newestMtime(path.join(ROOT, 'core')),
    statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs,
    statSync(path.join(ROOT, 'package-lock.json')).mtimeMs,
  );
  return existsSync(index) && statSync(index).mtimeMs >= sources;
}

/**
 * Builds the client when dist/client is missing or older than anything it is built from
 * (client/, core/, the vite config, the lockfile). The browser files run in parallel
 * workers: one builds under a lock file (dist/.client-build.lock, holding its pid), the
 * others wait for it and then find the build fresh — one build per run, and never two
 * builds emptying dist/client under each other.
 */
export async function buildClientIfStale(): Promise<{ built: boolean; ms: number }> {
  if (clientIsFresh()) return { built: false, ms: 0 };
  return withFileLock(path.join(ROOT, 'dist', '.client-build.lock'), async () => {
    if (clientIsFresh()) return { built: false, ms: 0 }; // another worker built it while we waited
    const t0 = performance.now();
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    return { built: true, ms: performance.now() - t0 };
  });
}

export interface AtlasUnderTest {
  baseUrl: string;
  /** Stops the server this harness started (undefined for ATLAS_TEST_URL). */
  close?: () => Promise<void>;
  /** How the client build went (undefined for ATLAS_TEST_URL). */
  build?: { built: boolean; ms: number };
}

/**
 * The app to test: ATLAS_TEST_URL when set and `external` allows it; otherwise builds the
 * client if stale and starts the real server on an in-memory PGlite with the demo seed
 * (port 0, loopback, silent, plus `config`), then runs `prepare` on it. The database is this
 * file's own, loaded from the run's seeded dump (tests/support/seededTemplate.ts: demo, and
 * the 渝中 OSM data unless SEED_OSM=never), so the server finds its seed there.
 */
export async function startAtlas(
  o: { config?: StartOptions['config']; prepare?: (server: RunningServer) => Promise<unknown>; external?: boolean } = {},
): Promise<AtlasUnderTest> {
  if (o.external !== false && process.env.ATLAS_TEST_URL) return { baseUrl: process.env.ATLAS_TEST_URL.replace(/\/$/, '') };
  const build = await buildClientIfStale();
  const { startServer } = await import('../../server/main');
  const seedDemo = (o.config?.SEED_DEMO ?? process.env.SEED_DEMO ?? 'auto') === 'auto';
  const seedOsm = (o.config?.SEED_OSM ?? process.env.SEED_OSM ?? 'auto') === 'auto';
  const template = seedDemo ? await seededTemplate(seedOsm ? 'demo-osm' : 'demo') : undefined;
  const server = await withPgliteTemplate(template, () =>
    startServer({
      inMemory: true,
      config: {
        PORT: 0,
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        // no background precompute of stored surfaces and answers (minutes of a worker on 2 cores):
        // the browser tests ask for what they show; tests/coverage/persist.test.ts tests the precompute
        PRECOMPUTE_SURFACES: 'never',
        ...o.config,
      },
    }),
  );
  await o.prepare?.(server);
  return { baseUrl: server.url, close: () => server.close(), build };
}

/** What {@link startAtlas} takes. */
export type StartAtlasOptions = NonNullable<Parameters<typeof startAtlas>[0]>;

/** A browser suite's app and chromium, for its tests (see {@link browserSuite}). */
export interface BrowserSuite {
  readonly browser: Browser;
  readonly atlas: AtlasUnderTest;
  readonly baseUrl: string;
  /** Uncaught errors of the pages opened with `open`: the suite expects none when it ends. */
  readonly pageErrors: string[];
  /**
   * A fresh context and page ({@link newPage}); with `path`, the page goes there and waits for
   * the facility markers ('markers') or the map ('map').
   */
  open(
    options: Parameters<Browser['newContext']>[0],
    path?: string,
    wait?: 'markers' | 'map',
  ): Promise<{ context: BrowserContext; page: Page }>;
}

/**
 * The lifecycle every browser suite shares, registered in the calling `describe`: before all,
 * the app ({@link startAtlas} with `start`) and then chromium; after all, chromium and the app
 * closed and no uncaught page error expected. `logStartup` prints how the client build and the
 * server start went.
 */
export function browserSuite(start: StartAtlasOptions = {}, o: { hookTimeoutMs?: number; logStartup?: boolean } = {}): BrowserSuite {
  let browser: Browser | undefined;
  let atlas: AtlasUnderTest | undefined;
  const pageErrors: string[] = [];
  const started = <T>(x: T | undefined, what: string): T => {
    if (x === undefined) throw new Error(`browser suite: ${what} is not started (beforeAll failed?)`);
    return x;
  };
  beforeAll(async () => {
    const t0 = performance.now();
    atlas = await startAtlas(start);
    const build = atlas.build;
    if (o.logStartup && build)
      console.info(
        `browser suite: client ${build.built ? `built in ${Math.round(build.ms)} ms` : 'up to date'}; server ready in ${Math.round(performance.now() - t0)} ms`,
      );
    browser = await launchChromium();
  }, o.hookTimeoutMs);
  afterAll(async () => {
    await browser?.close();
    await atlas?.close?.();
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });
  return {
    get browser() {
      return started(browser, 'chromium');
    },
    get atlas() {
      return started(atlas, 'the app');
    },
    get baseUrl() {
      return started(atlas, 'the app').baseUrl;
    },
    pageErrors,
    async open(options, path, wait) {
      const { context, page } = await newPage(started(browser, 'chromium'), options, pageErrors);
      if (path === undefined) return { context, page };
      await page.goto(`${started(atlas, 'the app').baseUrl}${path}`);
      if (wait === 'markers') await waitForRendered(page, 'some');
      else if (wait === 'map') await waitForMapLoaded(page);
      return { context, page };
    },
  };
}

/** A fresh context (zh-CN unless `options` says otherwise) and a page whose uncaught errors go into `pageErrors`. */
export async function newPage(
  browser: Browser,
  options: Parameters<Browser['newContext']>[0],
  pageErrors: string[],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN', ...options });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { context, page };
}

/** The window as the app exposes it to tests: the MapLibre map and, once injected, axe. */
export type AtlasWindow = Window & {
  __atlasMap?: {
    loaded(): boolean;
    getLayer(id: string): unknown;
    getLayoutProperty(layer: string, name: string): unknown;
    queryRenderedFeatures(opts: { layers: string[] }): { properties: Record<string, unknown> }[];
    project(lngLat: [number, number]): { x: number; y: number };
    getCanvas(): HTMLCanvasElement;
    jumpTo(o: { center: [number, number]; zoom: number }): void;
    once(ev: string, cb: () => void): void;
  };
  axe?: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> };
};

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Moves the map to `center` at `zoom` and waits until it has drawn. */
export async function jumpTo(page: Page, center: [number, number], zoom: number): Promise<void> {
  await page.evaluate(
    ([c, z]) =>
      new Promise<void>((resolve) => {
        const map = (window as AtlasWindow).__atlasMap!;
        map.once('idle', () => resolve());
        map.jumpTo({ center: c as [number, number], zoom: z as number });
      }),
    [center, zoom] as const,
  );
}

/** Waits until the map has finished loading. */
export async function waitForMapLoaded(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => (window as AtlasWindow).__atlasMap?.loaded() === true, undefined, { timeout });
}

/** Waits until some (or no) facility markers (optionally of one category) are drawn. */
export async function waitForRendered(page: Page, predicate: 'some' | 'none', category?: string): Promise<void> {
  await page.waitForFunction(
    ([layer, cat, want]) => {
      const map = (window as AtlasWindow).__atlasMap;
      if (!map?.getLayer(layer)) return false;
      const feats = map.queryRenderedFeatures({ layers: [layer] });
      const n = cat ? feats.filter((f) => f.properties.category === cat).length : feats.length;
      return want === 'some' ? n > 0 : n === 0;
    },
    [FACILITY_LAYER, category ?? '', predicate] as const,
    { timeout: 60_000, polling: 100 },
  );
}

/** The MapLibre layer of district names (client/src/map/style.ts). */
export const DISTRICT_LABEL_LAYER = 'atlas-district-labels';

/**
 * Waits until the map draws the district name `text` (a symbol that survived collision):
 * the rendered label features, read through the layer's current `text-field` property.
 */
export async function waitForDistrictLabel(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    ([layer, want]) => {
      const map = (window as AtlasWindow).__atlasMap;
      if (!map?.getLayer(layer)) return false;
      const field = map.getLayoutProperty(layer, 'text-field') as [string, string];
      return map.queryRenderedFeatures({ layers: [layer] }).some((f) => f.properties[field[1]] === want);
    },
    [DISTRICT_LABEL_LAYER, text] as const,
    { timeout: 60_000, polling: 100 },
  );
}

/**
 * Runs axe-core on the page and expects no serious or critical violation. The map canvas
 * (and any `exclude` selectors) have no DOM content to check; everything around is scanned.
 */
export async function axeScan(page: Page, label: string, exclude: string[] = []): Promise<void> {
  // Evaluated through the DevTools protocol rather than a <script> tag: the server's
  // Content-Security-Policy (script-src 'self') rightly blocks inline scripts, and the
  // app is tested under its real CSP.
  if (!(await page.evaluate(() => !!(window as AtlasWindow).axe))) await page.evaluate(AXE_SOURCE);
  const selectors = ['canvas.maplibregl-canvas', ...exclude].map((s) => [s]);
  const { violations } = await page.evaluate(
    (sel) => (window as AtlasWindow).axe!.run({ exclude: sel }, { resultTypes: ['violations'] }),
    selectors,
  );
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map(
      (v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n')}`,
    )
    .join('\n');
  expect(report, `axe (${label})`).toBe('');
}

/** A screenshot into tests/artifacts/`name`. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}
