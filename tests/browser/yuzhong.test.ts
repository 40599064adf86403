/**
 * The default app in a real browser (Debian chromium via playwright-core): the server as
 * `npm start` makes it — demo seed plus the real 渝中 OpenStreetMap data — opens on 解放碑
 * at street zoom; the route-to-school panel works in 渝中 (a school in view, home at the
 * map centre → a route) and, in 涪陵 where no street network is loaded, says so before
 * anything is picked (zh and en) with the import command; "go to an imported area" brings
 * the map back to 渝中. Without /usr/bin/chromium the suite is skipped locally.
 * Screenshots go to tests/artifacts/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeScan, browserSuite, DESKTOP, failOnCiWithoutChromium, hasChromium, shot, type AtlasWindow, jumpTo } from './harness';

failOnCiWithoutChromium('渝中 by default in the browser');

const FULING: [number, number] = [107.39, 29.7];

const view = (page: Page) =>
  page.evaluate(() => {
    const map = (window as AtlasWindow).__atlasMap! as unknown as { getCenter(): { lng: number; lat: number }; getZoom(): number };
    const c = map.getCenter();
    return { lng: c.lng, lat: c.lat, zoom: map.getZoom() };
  });

describe.skipIf(!hasChromium)('渝中 by default in the browser', () => {
  // its own server with the default seed (demo + 渝中 OSM), as on a fresh machine
  const suite = browserSuite({ external: false }, { hookTimeoutMs: 240_000 });

  it('opens on 解放碑 at street zoom; routes to school work in 渝中 and say "no street network" in 涪陵, zh and en', async () => {
    const { context, page } = await suite.open(DESKTOP, '/', 'map');
    try {
      const v = await view(page);
      expect(v.zoom).toBeGreaterThanOrEqual(14.5);
      expect(Math.abs(v.lng - 106.5775)).toBeLessThan(0.01);
      expect(Math.abs(v.lat - 29.558)).toBeLessThan(0.01);

      // 渝中: the panel has no "no network" note; a school in view and home at the centre give a route
      await page.locator('#route-toggle').click();
      const panel = page.locator('#route-panel');
      await panel.getByRole('heading', { name: '上学路线' }).waitFor();
      const centre = panel.getByRole('button', { name: '以地图中心为家' });
      await expect.poll(() => centre.isEnabled()).toBe(true);
      const select = panel.locator('select');
      await expect.poll(() => select.locator('option').count(), { timeout: 15_000 }).toBeGreaterThan(1);
      const firstSchool = await select.locator('option').nth(1).getAttribute('value');
      await select.selectOption(firstSchool!);
      await centre.click();
      await panel.getByRole('heading', { name: '推荐路线', exact: true }).waitFor({ timeout: 30_000 });
      expect(await page.locator('#no-network-routes').count()).toBe(0);
      await shot(page, 'yuzhong-route-zh-desktop.png');

      // 涪陵: the note comes before anything is picked, the home buttons are disabled
      await panel.getByRole('button', { name: '更换学校' }).click();
      await jumpTo(page, FULING, 14);
      const note = page.locator('#no-network-routes');
      await note.waitFor({ timeout: 15_000 });
      await expect.poll(() => note.textContent()).toContain('这里没有加载街道路网');
      expect(await note.textContent()).toContain('npm run import -- city.osm.pbf');
      expect(await note.textContent()).toContain('渝中区（OpenStreetMap）');
      expect(await centre.isDisabled()).toBe(true);
      await shot(page, 'yuzhong-no-network-zh-desktop.png');
      await axeScan(page, 'route panel without a network');

      // English
      await page.getByRole('button', { name: 'Switch to English', exact: true }).click();
      await expect.poll(() => note.textContent()).toContain('No street network is loaded here');
      expect(await note.textContent()).toContain('Yuzhong (OpenStreetMap)');

      // back to 渝中 by the note's button
      await note.getByRole('button', { name: 'Go to Yuzhong (OpenStreetMap)' }).click();
      await expect.poll(async () => Math.abs((await view(page)).lng - 106.55) < 0.1, { timeout: 15_000 }).toBe(true);
      await note.waitFor({ state: 'detached', timeout: 15_000 });
    } finally {
      await context.close();
    }
  }, 180_000);

  it('"go to an imported area" lists 渝中 and flies there', async () => {
    const { context, page } = await suite.open(DESKTOP, '/', 'map');
    try {
      await jumpTo(page, FULING, 12);
      const go = page.getByLabel('前往已导入地区');
      await expect
        .poll(() => go.locator('option').allTextContents(), { timeout: 15_000 })
        .toContain('渝中区（OpenStreetMap） · 有步行路网');
      await go.selectOption({ label: '渝中区（OpenStreetMap） · 有步行路网' });
      await expect
        .poll(
          async () => {
            const v = await view(page);
            return v.lng > 106.46 && v.lng < 106.6 && v.lat > 29.5 && v.lat < 29.6;
          },
          { timeout: 15_000 },
        )
        .toBe(true);
    } finally {
      await context.close();
    }
  }, 120_000);
});
