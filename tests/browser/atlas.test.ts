/**
 * The atlas in a real browser (Debian chromium via playwright-core), as a resident uses
 * it, on a laptop (1280×800) and a phone (390×844): markers render, the category filter
 * hides and shows them, search by a Chinese name, near me sorted by distance, language
 * switch, keyboard reach, and an axe-core scan with no serious or critical violations.
 *
 * Setup: builds the client when dist/client is missing or older than its sources, then
 * starts the real server with an in-memory PGlite seeded with the demo data. Set
 * ATLAS_TEST_URL to run against a server that is already running instead.
 *
 * Without /usr/bin/chromium the suite is skipped locally and fails on CI (CI installs it).
 * Screenshots go to tests/artifacts/ (git-ignored).
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  axeScan,
  browserSuite,
  DESKTOP,
  FACILITY_LAYER,
  failOnCiWithoutChromium,
  hasChromium,
  JIEFANGBEI,
  PHONE,
  shot,
  waitForDistrictLabel,
  waitForRendered,
  type AtlasWindow,
} from './harness';

failOnCiWithoutChromium('atlas in the browser');

// ---------- page helpers ----------

/** Facility markers MapLibre has drawn (optionally of one category). */
function renderedCount(page: Page, category?: string): Promise<number> {
  return page.evaluate(
    ([layer, cat]) => {
      const map = (window as AtlasWindow).__atlasMap;
      if (!map?.getLayer(layer)) return -1;
      const feats = map.queryRenderedFeatures({ layers: [layer] });
      return cat ? feats.filter((f) => f.properties.category === cat).length : feats.length;
    },
    [FACILITY_LAYER, category ?? ''] as const,
  );
}

/** Distances as shown ("350 米", "1.2 公里", "350 m", "1.2 km") in metres. */
function parseDistance(text: string): number {
  const m = /([\d.,]+)\s*(米|公里|km|m)/.exec(text);
  if (!m) throw new Error(`no distance in "${text}"`);
  const n = Number(m[1].replace(/,/g, ''));
  return m[2] === '公里' || m[2] === 'km' ? n * 1000 : n;
}

// ---------- the suite ----------

describe.skipIf(!hasChromium)('atlas in the browser', () => {
  const suite = browserSuite({}, { logStartup: true });

  /** A fresh browser context and the atlas loaded in it, markers drawn. */
  const openAtlas = (options: Parameters<Browser['newContext']>[0]) => suite.open(options, '/', 'markers');

  describe('desktop 1280×800', () => {
    it('opens on 渝中 (解放碑) at street zoom in Chinese, with markers and district names', async () => {
      const { context, page } = await openAtlas(DESKTOP);
      try {
        expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
        await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('重庆儿童友好城市地图');
        await page.getByText('示例数据', { exact: true }).first().waitFor();
        // the opening view is 解放碑 at z15 (streets, not the whole city): the synthetic
        // facilities of a few square kilometres of 渝中 (24 measured on 2026-12-05)
        expect(await renderedCount(page)).toBeGreaterThan(10);
        // District names are map symbols over the basemap: the central ones are shown.
        // district names are drawn at district scale: zoom out from the street-level opening view, then back
        const view = await page.evaluate(() => {
          const m = (window as unknown as { __atlasMap: import('maplibre-gl').Map }).__atlasMap;
          const v = { center: m.getCenter().toArray(), zoom: m.getZoom() };
          m.jumpTo({ zoom: 11.5 });
          return v;
        });
        await waitForDistrictLabel(page, '渝中区');
        await page.evaluate(
          (v) =>
            (window as unknown as { __atlasMap: import('maplibre-gl').Map }).__atlasMap.jumpTo({
              center: v.center as [number, number],
              zoom: v.zoom,
            }),
          view,
        );
        await expect.poll(() => page.locator('.maplibregl-ctrl-attrib').textContent()).toContain('示例设施为虚构数据');
        await page.waitForTimeout(300); // let marker fade-in finish before the picture
        await shot(page, 'atlas-zh-desktop.png');
        await axeScan(page, 'zh desktop');
      } finally {
        await context.close();
      }
    });

    it('hides a category from the map and shows it again', async () => {
      const { context, page } = await openAtlas(DESKTOP);
      try {
        await waitForRendered(page, 'some', 'kindergarten');
        const box = page.getByRole('checkbox', { name: '幼儿园', exact: true });
        await box.uncheck();
        await waitForRendered(page, 'none', 'kindergarten');
        expect(await renderedCount(page)).toBeGreaterThan(0); // the others stay
        await box.check();
        await waitForRendered(page, 'some', 'kindergarten');
        await page.getByRole('button', { name: '清空', exact: true }).click();
        await waitForRendered(page, 'none');
        await page.getByRole('button', { name: '全选', exact: true }).click();
        await waitForRendered(page, 'some', 'kindergarten');
      } finally {
        await context.close();
      }
    });

    it('shows groups of facilities with their count below z15 and zooms in on a group clicked', async () => {
      const { context, page } = await openAtlas(DESKTOP);
      try {
        await page.evaluate(() => (window as AtlasWindow).__atlasMap!.jumpTo({ center: [106.55, 29.56], zoom: 12 }));
        // a group: a marker standing for several facilities of a category (server/features/tiles, issue 13)
        await page.waitForFunction(
          (layer) =>
            ((window as AtlasWindow).__atlasMap?.queryRenderedFeatures({ layers: [layer] }) ?? []).some(
              (f) => Number(f.properties.count) > 1,
            ),
          FACILITY_LAYER,
          { timeout: 20_000, polling: 100 },
        );
        const group = await page.evaluate((layer) => {
          const map = (window as AtlasWindow).__atlasMap!;
          const rect = map.getCanvas().getBoundingClientRect();
          const feats = map.queryRenderedFeatures({ layers: [layer] }) as unknown as {
            geometry: { coordinates: [number, number] };
            properties: { count?: number; name_zh?: string };
          }[];
          // the badge shows the count: the layer's text-field, evaluated for this marker, is its count
          const field = JSON.stringify(map.getLayoutProperty(layer, 'text-field'));
          const pts = feats.map((f) => ({ f, p: map.project(f.geometry.coordinates) }));
          const inside = pts.filter(({ p }) => p.x > 60 && p.y > 60 && p.x < rect.width - 60 && p.y < rect.height - 60);
          // clear of other markers, so that the click lands on it
          const g = inside.find(
            ({ f, p }) => Number(f.properties.count) > 1 && pts.every((o) => o.p === p || Math.hypot(o.p.x - p.x, o.p.y - p.y) > 24),
          );
          return g
            ? {
                x: rect.left + g.p.x,
                y: rect.top + g.p.y,
                count: Number(g.f.properties.count),
                name: g.f.properties.name_zh ?? null,
                field,
              }
            : null;
        }, FACILITY_LAYER);
        expect(group, 'a group marker inside the map').not.toBeNull();
        expect(group!.field).toContain('count');
        expect(group!.name).toBeNull(); // a group has no name of its own
        await page.mouse.click(group!.x, group!.y);
        await expect
          .poll(() => page.evaluate(() => (window as unknown as { __atlasMap: import('maplibre-gl').Map }).__atlasMap.getZoom()), {
            timeout: 10_000,
          })
          .toBeGreaterThan(12.5);
        await shot(page, 'atlas-zh-desktop-groups.png');
      } finally {
        await context.close();
      }
    });

    it('opens the details of a marker clicked on the map', async () => {
      const { context, page } = await openAtlas(DESKTOP);
      try {
        // A marker well inside the map with no other marker within 30 px.
        const target = await page.evaluate((layer) => {
          const map = (window as AtlasWindow).__atlasMap!;
          const rect = map.getCanvas().getBoundingClientRect();
          const feats = map.queryRenderedFeatures({ layers: [layer] }) as unknown as {
            geometry: { coordinates: [number, number] };
            properties: { name_zh: string };
          }[];
          const pts = feats.map((f) => ({ f, p: map.project(f.geometry.coordinates) }));
          const lone = pts.find(
            ({ p }) =>
              p.x > 100 &&
              p.y > 100 &&
              p.x < rect.width - 100 &&
              p.y < rect.height - 100 &&
              pts.every((o) => o.p === p || Math.hypot(o.p.x - p.x, o.p.y - p.y) > 30),
          );
          return lone ? { x: rect.left + lone.p.x, y: rect.top + lone.p.y, name: lone.f.properties.name_zh } : null;
        }, FACILITY_LAYER);
        expect(target, 'a lone marker to click').not.toBeNull();
        await page.mouse.click(target!.x, target!.y);
        const heading = page.locator('#details-heading');
        await expect.poll(() => heading.textContent(), { timeout: 10_000 }).toBe(target!.name);
        await page.getByText('这是虚构的示例设施', { exact: false }).waitFor();
        await shot(page, 'atlas-zh-desktop-details.png');
        await axeScan(page, 'zh desktop with details');
      } finally {
        await context.close();
      }
    });

    it('finds facilities by a Chinese name and opens one', async () => {
      const { context, page } = await openAtlas(DESKTOP);
      try {
        await page.getByLabel('设施名称或地址').fill('母婴室');
        await page.getByLabel('设施名称或地址').press('Enter');
        const results = page.getByRole('list', { name: '搜索结果' }).getByRole('button');
        await results.first().waitFor();
        expect(await results.count()).toBeGreaterThan(0);
        for (const name of await results.locator('.facility-item__name').allTextContents()) expect(name).toContain('母婴室');
        const first = (await results.first().locator('.facility-item__name').textContent())!;
        await results.first().click();
        const details = page.locator('#results-panel');
        await expect.poll(() => details.getByRole('heading', { level: 2 }).textContent()).toBe(first);
        await details.getByText('这是虚构的示例设施', { exact: false }).waitFor();
        // Focus went to the details heading; Esc closes the details.
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('details-heading');
        await page.keyboard.press('Escape');
        await details.waitFor({ state: 'detached' });
      } finally {
        await context.close();
      }
    });

    it('lists the facilities in view as the keyboard alternative to the map', async () => {
      const { context, page } = await openAtlas(DESKTOP);
      try {
        await page.getByRole('button', { name: '列表', exact: true }).click();
        const status = page.locator('#list-status');
        await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/当前视野内(共 \d+ 个设施|设施超过 \d+ 个)/);
        const items = page.getByRole('list', { name: '视野内的设施' }).getByRole('listitem');
        expect(await items.count()).toBeGreaterThan(10);
        await page.keyboard.press('Escape');
        await page.locator('#results-panel').waitFor({ state: 'detached' });
      } finally {
        await context.close();
      }
    });

    it('near me (device location) lists mother-and-baby rooms by distance, ascending', async () => {
      const { context, page } = await openAtlas({ ...DESKTOP, geolocation: JIEFANGBEI, permissions: ['geolocation'] });
      try {
        await page.getByRole('button', { name: '清空', exact: true }).click();
        await page.getByRole('checkbox', { name: '母婴室', exact: true }).check();
        await page.getByRole('button', { name: '附近', exact: true }).click();
        await page.getByRole('button', { name: '使用我的位置', exact: true }).click();
        const list = page.getByRole('list', { name: '附近设施，按距离排序' });
        await list.getByRole('listitem').first().waitFor({ timeout: 15_000 });
        const distances = (await list.locator('.facility-item__distance').allTextContents()).map(parseDistance);
        expect(distances.length).toBeGreaterThan(3);
        expect([...distances].sort((a, b) => a - b)).toEqual(distances);
        for (const meta of await list.locator('.facility-item__meta').allTextContents()) expect(meta).toContain('母婴室');
        await page.locator('.nearby-point').waitFor(); // the query point is on the map
        await shot(page, 'atlas-zh-desktop-nearby.png');
      } finally {
        await context.close();
      }
    });

    it('switches to English', async () => {
      const { context, page } = await openAtlas(DESKTOP);
      try {
        await page.getByRole('button', { name: 'Switch to English', exact: true }).click();
        await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
        await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Chongqing Child-Friendly City Atlas');
        await page.getByRole('checkbox', { name: 'Kindergarten', exact: true }).waitFor();
        await page.getByRole('button', { name: '切换到中文', exact: true }).waitFor();
        // district names are drawn at district scale: zoom out from the street-level opening view, then back
        const view = await page.evaluate(() => {
          const m = (window as unknown as { __atlasMap: import('maplibre-gl').Map }).__atlasMap;
          const v = { center: m.getCenter().toArray(), zoom: m.getZoom() };
          m.jumpTo({ zoom: 11.5 });
          return v;
        });
        await waitForDistrictLabel(page, 'Yuzhong');
        await page.evaluate(
          (v) =>
            (window as unknown as { __atlasMap: import('maplibre-gl').Map }).__atlasMap.jumpTo({
              center: v.center as [number, number],
              zoom: v.zoom,
            }),
          view,
        );
        await expect.poll(() => page.locator('.maplibregl-ctrl-attrib').textContent()).toContain('Sample facilities are synthetic');
        // Open the list and then a facility, so the scans and pictures cover the panels.
        await page.getByRole('button', { name: 'List', exact: true }).click();
        await expect
          .poll(() => page.locator('#list-status').textContent(), { timeout: 15_000 })
          .toMatch(/facilities in (the current )?view/);
        const items = page.getByRole('list', { name: 'Facilities in view' }).getByRole('button');
        await shot(page, 'atlas-en-desktop.png');
        await axeScan(page, 'en desktop with list');
        await items.first().click();
        await page.getByText('This is a synthetic sample facility', { exact: false }).waitFor();
        await page.waitForTimeout(1500); // fly-to animation
        await shot(page, 'atlas-en-desktop-details.png');
        await axeScan(page, 'en desktop with details');
      } finally {
        await context.close();
      }
    });

    it('is reachable from the keyboard: Tab reaches the language toggle and the filter', async () => {
      const { context, page } = await openAtlas(DESKTOP);
      try {
        const seen: string[] = [];
        let ringOnCheckbox = false;
        for (let i = 0; i < 40; i++) {
          await page.keyboard.press('Tab');
          const info = await page.evaluate(() => {
            const el = document.activeElement as HTMLElement | null;
            if (!el) return { key: '', ring: false };
            const inFilter = !!el.closest('.category-filter') && (el as HTMLInputElement).type === 'checkbox';
            const style = getComputedStyle(el);
            return {
              key: inFilter ? 'filter-checkbox' : el.id || el.tagName,
              ring: inFilter && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
            };
          });
          seen.push(info.key);
          if (info.ring) ringOnCheckbox = true;
          if (seen.includes('lang-toggle') && seen.includes('filter-checkbox')) break;
        }
        expect(seen).toContain('lang-toggle');
        expect(seen).toContain('filter-checkbox');
        expect(ringOnCheckbox, 'visible focus ring on the checkbox').toBe(true);
        // Space toggles the focused checkbox; the map follows.
        await page.keyboard.press('Space');
        expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).checked)).toBe(false);
      } finally {
        await context.close();
      }
    });
  });

  describe('phone 390×844', () => {
    it('loads with markers and a usable layout', async () => {
      const { context, page } = await openAtlas(PHONE);
      try {
        // 解放碑 at z15 on a phone: about 1 km × 2 km of 渝中 (11 markers measured on 2026-12-05)
        expect(await renderedCount(page)).toBeGreaterThan(5);
        // The sidebar is a closed drawer; the map fills the screen under the header.
        expect(await page.locator('#sidebar').isVisible()).toBe(false);
        const mapBox = (await page.locator('.map-region').boundingBox())!;
        expect(mapBox.width).toBe(390);
        expect(mapBox.height).toBeGreaterThan(600);
        await page.waitForTimeout(300);
        await shot(page, 'atlas-zh-phone.png');
        await axeScan(page, 'zh phone');
        // In English too, nothing is pushed off screen: the page is no wider than the phone
        // and the language toggle (the way back to Chinese) is fully visible.
        await page.locator('#lang-toggle').click();
        await page.waitForFunction(() => document.documentElement.lang === 'en');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        const toggle = (await page.locator('#lang-toggle').boundingBox())!;
        expect(toggle.x + toggle.width).toBeLessThanOrEqual(390);
        await shot(page, 'atlas-en-phone.png');
      } finally {
        await context.close();
      }
    });

    it('filters from the drawer and finds mother-and-baby rooms near a tapped point', async () => {
      const { context, page } = await openAtlas(PHONE);
      try {
        await page.getByRole('button', { name: '筛选', exact: true }).click();
        await page.locator('#sidebar').waitFor({ state: 'visible' });
        await page.getByRole('button', { name: '清空', exact: true }).click();
        await waitForRendered(page, 'none');
        await page.getByRole('checkbox', { name: '母婴室', exact: true }).check();
        await waitForRendered(page, 'some', 'mother_baby_room');
        expect(await renderedCount(page)).toBe(await renderedCount(page, 'mother_baby_room'));
        await shot(page, 'atlas-zh-phone-filters.png');
        await page.getByRole('button', { name: '关闭筛选', exact: true }).click();

        await page.getByRole('button', { name: '附近', exact: true }).click();
        // Pick mode is on while the near-me panel is open: tap the map at a fixed pixel in
        // the part the bottom sheet leaves visible (half-way between header and sheet).
        const mapBox = (await page.locator('.map-region').boundingBox())!;
        const sheetBox = (await page.locator('#results-panel').boundingBox())!;
        expect(await page.locator('.map-hint').textContent()).toBe('点击地图选择查询位置');
        await page.mouse.click(mapBox.x + mapBox.width / 2, (mapBox.y + sheetBox.y) / 2);
        const list = page.getByRole('list', { name: '附近设施，按距离排序' });
        await list.getByRole('listitem').first().waitFor({ timeout: 15_000 });
        const distances = (await list.locator('.facility-item__distance').allTextContents()).map(parseDistance);
        expect(distances.length).toBeGreaterThan(3);
        expect([...distances].sort((a, b) => a - b)).toEqual(distances);
        for (const meta of await list.locator('.facility-item__meta').allTextContents()) expect(meta).toContain('母婴室');
        await page.locator('.nearby-point').waitFor();
        await shot(page, 'atlas-zh-phone-nearby.png');
        await axeScan(page, 'zh phone near me');
      } finally {
        await context.close();
      }
    });
  });
});
