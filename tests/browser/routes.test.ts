/**
 * The route-to-school panel in a real browser (Debian chromium via playwright-core), on a
 * laptop: a parent finds a school, opens "规划步行上学路线" from its details, clicks their
 * home on the map and reads the safe route (solid) against the shortest (dashed); a planner
 * switches on the school's route network and reads the most-used unsafe segments; the same
 * in English; everything reachable from the keyboard; axe-core finds no serious or critical
 * violation.
 *
 * Setup: builds the client when stale, starts the real server on an in-memory PGlite seeded
 * with the demo data, and writes the routing fixtures (tests/routes/fixture.ts) into its
 * walking network — they are drawn around (106.55, 29.56), in central Chongqing.
 * Without /usr/bin/chromium the suite is skipped locally. Screenshots go to tests/artifacts/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadRoutingFixtures, placedPoint } from '../routes/fixture';
import { axeScan, browserSuite, DESKTOP, failOnCiWithoutChromium, hasChromium, shot, type AtlasWindow, jumpTo } from './harness';

failOnCiWithoutChromium('route to school in the browser');

async function clickMapAt(page: Page, at: [number, number]): Promise<void> {
  const p = await page.evaluate((c) => {
    const map = (window as AtlasWindow).__atlasMap!;
    const r = map.getCanvas().getBoundingClientRect();
    const q = map.project(c as [number, number]);
    return { x: r.left + q.x, y: r.top + q.y };
  }, at);
  await page.mouse.click(p.x, p.y);
}

const rendered = (page: Page, layer: string) =>
  page.evaluate((l) => {
    const map = (window as AtlasWindow).__atlasMap!;
    return map.getLayer(l) ? map.queryRenderedFeatures({ layers: [l] }).length : -1;
  }, layer);

describe.skipIf(!hasChromium)('route to school in the browser', () => {
  // Always its own server: the routing fixtures go into its database — alone, without the
  // real 渝中 network they would otherwise overlap (SEED_OSM=never; the default app is
  // tests/browser/yuzhong.test.ts).
  const suite = browserSuite({
    external: false,
    config: { SEED_OSM: 'never' },
    prepare: (server) => loadRoutingFixtures(server.db),
  });

  it('a parent plans the safe route from a school’s details and their home on the map; a planner reads the unsafe segments', async () => {
    const { context, page } = await suite.open(DESKTOP, '/', 'map');
    try {
      const school = placedPoint('signalised-crossing-detour', 'school');
      const home = placedPoint('signalised-crossing-detour', 'home');
      await jumpTo(page, [(school[0] + home[0]) / 2, (school[1] + home[1]) / 2], 15.5);

      // find the school by name and open its details
      await page.locator('#search-input').fill('解放路小学');
      await page.locator('#search-input').press('Enter');
      await page
        .getByRole('button', { name: /解放路小学/ })
        .first()
        .click();
      await expect.poll(() => page.locator('#details-heading').textContent(), { timeout: 10_000 }).toBe('解放路小学');
      await page.getByRole('button', { name: '规划步行上学路线' }).click();

      // the route panel, focused on its heading, with the school chosen
      const panel = page.locator('#route-panel');
      await panel.getByRole('heading', { name: '上学路线' }).waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('route-heading');
      await panel.getByText('解放路小学', { exact: true }).waitFor();
      // the panel covers the right of the map: put the route left of the centre
      await jumpTo(page, [(school[0] + home[0]) / 2 + 0.0022, (school[1] + home[1]) / 2], 15.5);

      // home: a click on the map
      await clickMapAt(page, home);
      await panel.getByText('安全路线多走 200 米（约 3 分钟），避开 1 处无信号灯的主干道过街。').waitFor({ timeout: 15_000 });
      await panel.getByText('实线：安全路线').waitFor();
      await panel.getByText('虚线：最短路线').waitFor();
      await panel.getByText(/解放路（主干路）· 信号灯/).waitFor();
      await expect.poll(() => rendered(page, 'routes-safest'), { timeout: 10_000 }).toBeGreaterThan(0);
      expect(await rendered(page, 'routes-shortest')).toBeGreaterThan(0);
      await page.locator('.route-marker--home').waitFor();
      await page.waitForTimeout(600);
      await shot(page, 'routes-zh-desktop.png');
      await axeScan(page, 'route panel');

      // planner view: the school's route network and its most-used unsafe segments
      await panel.getByRole('switch', { name: '规划师视图：学校周边上学路网' }).check();
      await panel.getByRole('heading', { name: '儿童最多的不安全路段' }).waitFor({ timeout: 20_000 });
      const items = panel.locator('.route-top__item');
      await expect.poll(() => items.count(), { timeout: 10_000 }).toBeGreaterThan(0);
      expect(await items.count()).toBeLessThanOrEqual(5);
      await expect.poll(() => items.first().textContent()).toMatch(/^1\. .* · \d+ 名儿童 · (不安全|危险)/);
      await expect
        .poll(() =>
          rendered(page, 'routes-network-safe').then(
            async (a) => a + (await rendered(page, 'routes-network-unsafe')) + (await rendered(page, 'routes-network-dangerous')),
          ),
        )
        .toBeGreaterThan(0);
      await items.first().getByRole('button', { name: '在地图上查看' }).click();
      await page.locator('.route-rank--focus').waitFor();
      await page.waitForTimeout(800);
      await shot(page, 'routes-zh-desktop-planner.png');
      await axeScan(page, 'route panel, planner view');

      // the keyboard way to set home: the map centre
      await jumpTo(page, [home[0] + 0.002, home[1]], 16);
      await panel.getByRole('button', { name: '以地图中心为家' }).focus();
      await page.keyboard.press('Enter');
      await panel.getByText(/安全路线多走 \d+ 米/).waitFor();

      // English
      await page.locator('#lang-toggle').click();
      await panel.getByRole('heading', { name: 'Route to school' }).waitFor();
      await panel.getByText(/The safer route is \d+ m longer/).waitFor();
      await shot(page, 'routes-en-desktop.png');

      // Esc closes the panel and returns focus to its toggle
      await page.keyboard.press('Escape');
      await expect.poll(() => panel.count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('says plainly when there is no walking route', async () => {
    const { context, page } = await suite.open(DESKTOP, '/', 'map');
    try {
      const school = placedPoint('islands', 'school');
      await jumpTo(page, school, 15);
      await page.locator('#route-toggle').click();
      const panel = page.locator('#route-panel');
      const select = panel.getByLabel('当前视野内的中小学');
      await expect.poll(() => select.locator('option', { hasText: '北岸小学' }).count(), { timeout: 10_000 }).toBe(1);
      await select.selectOption({ label: '北岸小学' });
      await clickMapAt(page, placedPoint('islands', 'home'));
      await panel.getByText(/无法规划路线：两点之间没有相连的步行道路/).waitFor({ timeout: 10_000 });
    } finally {
      await context.close();
    }
  });
});
