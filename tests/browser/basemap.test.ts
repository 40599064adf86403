/**
 * The offline vector basemap in a real browser (Debian chromium, SwiftShader WebGL): the
 * real 渝中 OSM data, 解放碑 (106.5775, 29.5580) at zoom 16, in Chinese and English, on a
 * desktop (1280×800) and a phone (390×844). For each: a screenshot in tests/artifacts/ and
 * checks of what is drawn — the map canvas is mostly basemap (not the background), the
 * Protomaps light flavor's land, road and building colours are there, Chinese street names
 * are rendered as symbols (and in English the label layers read `name:en` first), the
 * stairways layer draws, the OSM credit shows, and nothing about glyphs or sprites fails.
 *
 * Data: when the database does not hold 渝中 yet, the suite imports
 * ../shared/data/chongqing/yuzhong_{walk,buildings}.overpass.json itself (skipped when
 * ../shared is absent). Needs the basemap tiles feature (server/features/basemap).
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { namedFlavor } from '@protomaps/basemaps';
import { importFile } from '../../server/features/imports/index';
import {
  browserSuite,
  DESKTOP,
  failOnCiWithoutChromium,
  hasChromium,
  newPage,
  PHONE,
  ROOT,
  shot,
  waitForMapLoaded,
  type AtlasWindow,
} from './harness';

failOnCiWithoutChromium('offline basemap in the browser');

const YUZHONG = path.resolve(ROOT, '..', 'shared', 'data', 'chongqing');
const YUZHONG_FILES = ['yuzhong_walk.overpass.json', 'yuzhong_buildings.overpass.json'].map((f) => path.join(YUZHONG, f));
const hasYuzhong = YUZHONG_FILES.every((f) => existsSync(f));
/** The tiles half of the basemap (GET /api/tiles/basemap…): another feature's folder. */
const hasBasemapTiles = existsSync(path.join(ROOT, 'server', 'features', 'basemap', 'routes.ts'));

const JIEFANGBEI: [number, number] = [106.5775, 29.558];
const STREET_ZOOM = 16;
const LIGHT = namedFlavor('light');
/** Road label layers of @protomaps/basemaps. */
const ROAD_LABEL_LAYERS = ['roads_labels_minor', 'roads_labels_major'];
const STAIRS_LAYER = 'atlas_basemap_steps';

interface MapWindow {
  __atlasMap?: {
    jumpTo(o: { center: [number, number]; zoom: number }): void;
    once(ev: string, cb: () => void): void;
    triggerRepaint(): void;
    getCanvas(): HTMLCanvasElement;
    getLayer(id: string): unknown;
    getLayoutProperty(layer: string, name: string): unknown;
    queryRenderedFeatures(opts: { layers: string[] }): { properties: Record<string, unknown> }[];
  };
}

const hex = (c: string): [number, number, number] => {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c)!;
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
};
/** A fill of `top` at `alpha` over `under`, as drawn. */
const blend = (top: string, under: string, alpha: number): [number, number, number] => {
  const a = hex(top);
  const b = hex(under);
  return [0, 1, 2].map((i) => Math.round(a[i] * alpha + b[i] * (1 - alpha))) as [number, number, number];
};

/** Colours looked for (the `buildings` layer is drawn at fill-opacity 0.5 over the land). */
const COLOURS = {
  background: hex(LIGHT.background),
  earth: hex(LIGHT.earth),
  buildings: blend(LIGHT.buildings, LIGHT.earth, 0.5),
  roadWhite: hex(LIGHT.minor_b),
  roadOther: hex(LIGHT.other),
};

interface PixelStats {
  total: number;
  /** Share of pixels that are not the style's background colour. */
  nonBackground: number;
  /** Share of pixels of each colour in COLOURS (±3 per channel). */
  share: Record<keyof typeof COLOURS, number>;
}

/** Moves the map to 解放碑 at street zoom and waits until everything there has drawn. */
async function jumpToJiefangbei(page: Page): Promise<void> {
  await page.evaluate(
    ([c, z]) =>
      new Promise<void>((resolve) => {
        const map = (window as unknown as MapWindow).__atlasMap!;
        map.once('idle', () => resolve());
        map.jumpTo({ center: c as [number, number], zoom: z as number });
      }),
    [JIEFANGBEI, STREET_ZOOM] as const,
  );
}

/** The map canvas's own pixels (read in the frame MapLibre has just drawn), counted in the page. */
async function mapPixels(page: Page): Promise<PixelStats> {
  return page.evaluate(async (colours) => {
    const map = (window as unknown as MapWindow).__atlasMap!;
    const url = await new Promise<string>((resolve) => {
      map.once('render', () => resolve(map.getCanvas().toDataURL('image/png')));
      map.triggerRepaint();
    });
    const img = new Image();
    img.src = url;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const px = g.getImageData(0, 0, c.width, c.height).data;
    const names = Object.keys(colours) as (keyof typeof colours)[];
    const counts = Object.fromEntries(names.map((n) => [n, 0])) as Record<keyof typeof colours, number>;
    let nonBackground = 0;
    const near = (i: number, rgb: number[]) =>
      Math.abs(px[i] - rgb[0]) <= 3 && Math.abs(px[i + 1] - rgb[1]) <= 3 && Math.abs(px[i + 2] - rgb[2]) <= 3;
    const total = px.length / 4;
    for (let i = 0; i < px.length; i += 4) {
      if (!near(i, colours.background)) nonBackground++;
      for (const n of names) if (near(i, colours[n])) counts[n]++;
    }
    const share = Object.fromEntries(names.map((n) => [n, counts[n] / total])) as Record<keyof typeof colours, number>;
    return { total, nonBackground: nonBackground / total, share };
  }, COLOURS);
}

/** Road-label features drawn now, with their properties. */
async function roadLabels(page: Page): Promise<Record<string, unknown>[]> {
  return page.evaluate((layers) => {
    const map = (window as unknown as MapWindow).__atlasMap!;
    const present = layers.filter((l) => map.getLayer(l));
    return present.length ? map.queryRenderedFeatures({ layers: present }).map((f) => f.properties) : [];
  }, ROAD_LABEL_LAYERS);
}

const renderedCount = (page: Page, layer: string) =>
  page.evaluate((l) => {
    const map = (window as unknown as MapWindow).__atlasMap!;
    return map.getLayer(l) ? map.queryRenderedFeatures({ layers: [l] }).length : -1;
  }, layer);

const textField = (page: Page, layer: string) =>
  page.evaluate((l) => JSON.stringify((window as unknown as MapWindow).__atlasMap!.getLayoutProperty(l, 'text-field')), layer);

const HAN = /\p{Script=Han}/u;
/** Console lines that mean glyphs, fonts or sprites failed. */
const ASSET_TROUBLE = /glyph|sprite|font|\.pbf|range/i;

describe.skipIf(!hasChromium || !hasYuzhong || !hasBasemapTiles)(
  'offline basemap on the real 渝中 (needs chromium, ../shared/data/chongqing and the basemap tiles feature)',
  () => {
    const suite = browserSuite(
      {
        external: false,
        prepare: async (server) => {
          // Already held (a seed that carries 渝中)? Then nothing to import.
          const held = await server.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM network_edges
              WHERE geom && ST_MakeEnvelope($1 - 0.005, $2 - 0.005, $1 + 0.005, $2 + 0.005, 4326)`,
            JIEFANGBEI,
          );
          if (held.rows[0].n > 0) return;
          for (const f of YUZHONG_FILES) await importFile(server.db, f, { extentCheck: false });
        },
      },
      { hookTimeoutMs: 600_000 },
    );

    async function open(viewport: typeof DESKTOP | typeof PHONE, lang: 'zh' | 'en') {
      const pageErrors: string[] = [];
      const { context, page } = await newPage(suite.browser, { ...viewport, locale: lang === 'en' ? 'en-US' : 'zh-CN' }, pageErrors);
      const console: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') console.push(`${m.type()}: ${m.text()}`);
      });
      page.on('requestfailed', (r) => console.push(`requestfailed: ${r.url()}`));
      await page.goto(`${suite.baseUrl}/?lang=${lang}`);
      await waitForMapLoaded(page, 60_000);
      await jumpToJiefangbei(page);
      return { context, page, pageErrors, console };
    }

    async function checkBasemap(page: Page, name: string, lang: 'zh' | 'en') {
      await shot(page, name);
      const stats = await mapPixels(page);
      // Mostly basemap: the land, streets and buildings, not the bare background.
      expect(stats.nonBackground, `${name}: non-background share`).toBeGreaterThan(0.9);
      expect(stats.share.earth, `${name}: land`).toBeGreaterThan(0.05);
      expect(stats.share.buildings, `${name}: buildings`).toBeGreaterThan(0.01);
      expect(stats.share.roadWhite + stats.share.roadOther, `${name}: roads`).toBeGreaterThan(0.01);

      // Street names as symbols: Chinese names from the OSM `name`.
      const labels = await roadLabels(page);
      expect(labels.length, `${name}: road labels drawn`).toBeGreaterThan(3);
      expect(labels.filter((p) => HAN.test(String(p.name ?? ''))).length, `${name}: Chinese street names`).toBeGreaterThan(3);
      const field = await textField(page, 'roads_labels_minor');
      if (lang === 'en') {
        // English first where the street has `name:en`, the Chinese name below / instead.
        expect(field).toContain('"name:en"');
        expect(field).not.toContain('zh-Hans');
      } else {
        expect(field).toContain('"name:zh-Hans"');
      }
      // Stairways drawn as such (OSM highway=steps, kind_detail=steps).
      expect(await renderedCount(page, STAIRS_LAYER), `${name}: stairways`).toBeGreaterThan(0);
      // ODbL: the credit while OSM data is drawn (compact ⓘ on the phone, same text inside).
      await expect.poll(() => page.locator('.maplibregl-ctrl-attrib').textContent()).toContain('© OpenStreetMap contributors');
      return stats;
    }

    function expectNoAssetTrouble(name: string, pageErrors: string[], lines: string[]) {
      expect(pageErrors, `${name}: page errors`).toEqual([]);
      expect(
        lines.filter((l) => ASSET_TROUBLE.test(l)),
        `${name}: glyph/sprite trouble`,
      ).toEqual([]);
    }

    it('desktop, 中文: 解放碑 at z16 with streets, buildings, stairways and Chinese street names; then English labels', async () => {
      const { context, page, pageErrors, console } = await open(DESKTOP, 'zh');
      try {
        await checkBasemap(page, 'basemap-zh-desktop.png', 'zh');
        // Switching the UI language turns the basemap's labels, keeping our overlays.
        await page.getByRole('button', { name: 'Switch to English', exact: true }).click();
        await expect.poll(() => textField(page, 'roads_labels_minor'), { timeout: 20_000 }).toContain('"name:en"');
        await expect.poll(() => renderedCount(page, 'atlas-district-line')).toBeGreaterThan(0);
        expect(await page.evaluate(() => !!(window as AtlasWindow).__atlasMap?.getLayer('atlas-facilities'))).toBe(true);
        expectNoAssetTrouble('zh desktop', pageErrors, console);
      } finally {
        await context.close();
      }
    }, 180_000);

    it('desktop, English', async () => {
      const { context, page, pageErrors, console } = await open(DESKTOP, 'en');
      try {
        await checkBasemap(page, 'basemap-en-desktop.png', 'en');
        expectNoAssetTrouble('en desktop', pageErrors, console);
      } finally {
        await context.close();
      }
    }, 180_000);

    it('phone, 中文', async () => {
      const { context, page, pageErrors, console } = await open(PHONE, 'zh');
      try {
        await checkBasemap(page, 'basemap-zh-phone.png', 'zh');
        expectNoAssetTrouble('zh phone', pageErrors, console);
      } finally {
        await context.close();
      }
    }, 180_000);

    it('phone, English', async () => {
      const { context, page, pageErrors, console } = await open(PHONE, 'en');
      try {
        await checkBasemap(page, 'basemap-en-phone.png', 'en');
        expectNoAssetTrouble('en phone', pageErrors, console);
      } finally {
        await context.close();
      }
    }, 180_000);

    it('outside the data held, the district outlines and names still draw (no blank map)', async () => {
      const { context, page, pageErrors } = await open(DESKTOP, 'zh');
      try {
        // 涪陵 (Fuling), far from 渝中: no basemap data there.
        await page.evaluate(
          () =>
            new Promise<void>((resolve) => {
              const map = (window as unknown as MapWindow).__atlasMap!;
              map.once('idle', () => resolve());
              map.jumpTo({ center: [107.39, 29.7], zoom: 10 });
            }),
        );
        await shot(page, 'basemap-outside-data.png');
        expect(await renderedCount(page, 'atlas-district-line')).toBeGreaterThan(0);
        expect(await renderedCount(page, 'atlas-district-fill')).toBeGreaterThan(0);
        const stats = await mapPixels(page);
        expect(stats.nonBackground).toBeGreaterThan(0.5);
        expect(pageErrors).toEqual([]);
      } finally {
        await context.close();
      }
    }, 180_000);
  },
);
