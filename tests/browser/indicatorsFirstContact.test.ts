/**
 * First contact with the indicators (issue 14), in a real browser: walking-coverage
 * indicators say "计算中… / Computing…" (not "no data") while the background run computes,
 * then "直线距离 / straight line" where that is how they were measured; the choropleth keeps
 * its legend on the map after the dashboard closes.
 *
 * Its own server (in-memory PGlite, demo seed, no OSM network: every district is measured in
 * a straight line): the first `GET /api/indicators` after start is what starts the walking-
 * coverage run, and it answers at once with `computing` — so the first dashboard a newcomer
 * opens is deterministically the computing one. Screenshots go to tests/artifacts/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, DESKTOP, failOnCiWithoutChromium, hasChromium, PHONE, shot } from './harness';

failOnCiWithoutChromium('indicators first contact');

const KINDERGARTEN = 'coverage_kindergarten_300m';

/** Nothing the map carries (feedback button and switch, "More", zoom, scale) overlaps the legend's box. */
async function expectUncovered(page: Page, box: { x: number; y: number; width: number; height: number }): Promise<void> {
  for (const sel of ['#feedback-open', '.map-tools__layer', '#tools-menu-button', '.maplibregl-ctrl-zoom-in', '.maplibregl-ctrl-scale']) {
    const o = await page.locator(sel).first().boundingBox();
    if (!o || !(await page.locator(sel).first().isVisible())) continue; // not on this layout
    const overlap = o.x < box.x + box.width && box.x < o.x + o.width && o.y < box.y + box.height && box.y < o.y + o.height;
    expect(overlap, `${sel} over the map legend`).toBe(false);
  }
}

describe.skipIf(!hasChromium)('indicators first contact', () => {
  const suite = browserSuite({ external: false, config: { SEED_OSM: 'never' } }, { hookTimeoutMs: 240_000 });

  it('walking coverage says "computing…" while it computes, then "straight line"; the legend stays on the map after the dashboard closes', async () => {
    const { context, page } = await suite.open(DESKTOP, '/', 'map');
    try {
      await page.locator('#indicators-toggle').click();
      const view = page.getByRole('dialog', { name: '指标' });
      await view.waitFor();
      // the first answer after start: computing, said as such in the overview and in the cells
      await view.locator('#ind-summary-computing').waitFor({ timeout: 30_000 });
      expect(await view.locator('#ind-summary-computing').textContent()).toMatch(/^正在后台计算：.*幼儿园300 米步行覆盖率/);
      const computingCells = view.locator('td.ind-cell--computing');
      expect(await computingCells.count()).toBeGreaterThan(0);
      expect(await computingCells.first().locator('.ind-cell__sub').textContent()).toBe('计算中…');
      expect(await view.locator('td.ind-cell--no_data', { hasText: '计算中' }).count()).toBe(0);
      await view.getByLabel('在地图上着色').selectOption(KINDERGARTEN);
      const legend = view.locator('.ind-legend');
      await legend.waitFor();
      expect(await legend.locator('li').allTextContents()).toEqual([expect.stringMatching(/^计算中…/)]);
      await shot(page, 'first-contact-zh-indicators-computing.png');

      // the view asks again by itself; when the run ends the cells say how it was measured
      await view.locator('td.ind-cell--computing').first().waitFor({ state: 'detached', timeout: 300_000 });
      // no network imported: every walking-coverage value (5 columns over the districts) says straight line
      expect(await view.locator('td.ind-cell .ind-cell__sub', { hasText: /^不适用 · 直线距离$/ }).count()).toBeGreaterThan(10);
      expect(await view.locator('td.ind-cell', { hasText: '计算中' }).count()).toBe(0);
      await expect
        .poll(() => legend.locator('.ind-legend__note').textContent())
        .toMatch(/^其中 \d+ 个区县按直线距离计算（未导入步行路网）$/);

      // closed: the map keeps the colouring and its legend, over the map
      await page.keyboard.press('Escape');
      await expect.poll(() => view.count()).toBe(0);
      const onMap = page.locator('.ind-legend--map');
      await onMap.waitFor();
      expect(await onMap.locator('figcaption').textContent()).toBe('图例：幼儿园300 米步行覆盖率（3–5 岁儿童）');
      expect(await onMap.locator('li').count()).toBeGreaterThan(0);
      const box = (await onMap.boundingBox())!;
      const region = (await page.locator('.map-region').boundingBox())!;
      expect(box.x >= region.x && box.y >= region.y && box.x + box.width <= region.x + region.width).toBe(true);
      expect(box.y + box.height).toBeLessThanOrEqual(region.y + region.height);
      await expectUncovered(page, box);
      await shot(page, 'first-contact-zh-choropleth-legend.png');
      await page.locator('#lang-toggle').click();
      await expect.poll(() => onMap.locator('.ind-legend__note').textContent()).toMatch(/districts measured in a straight line/);
      await shot(page, 'first-contact-en-choropleth-legend.png');
      // its ✕ removes the colouring and the legend together
      await onMap.getByRole('button', { name: 'Remove the map colouring' }).click();
      await expect.poll(() => onMap.count()).toBe(0);
      const fill = await page.evaluate(() =>
        JSON.stringify(
          (window as unknown as { __atlasMap: { getPaintProperty(l: string, p: string): unknown } }).__atlasMap.getPaintProperty(
            'atlas-district-fill',
            'fill-color',
          ),
        ),
      );
      expect(fill).not.toContain('match');
    } finally {
      await context.close();
    }
  }, 420_000);

  it('on a phone the map legend is on screen and reads "straight line" in English', async () => {
    const { context, page } = await suite.open(PHONE, '/?lang=en', 'map');
    try {
      // on a phone the indicators are under "More"
      await page.locator('#tools-menu-button').click();
      await page.locator('#tools-menu-list').getByRole('button', { name: 'Indicators', exact: true }).click();
      const view = page.getByRole('dialog', { name: 'Indicators' });
      await view.getByLabel('Colour the map by').selectOption(KINDERGARTEN);
      await view.getByRole('button', { name: 'Close indicators' }).click();
      const onMap = page.locator('.ind-legend--map');
      await onMap.waitFor();
      expect(await onMap.locator('.ind-legend__note').textContent()).toMatch(
        /^\d+ districts measured in a straight line \(no walking network imported\)$/,
      );
      const box = (await onMap.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      await expectUncovered(page, box);
      await shot(page, 'first-contact-en-phone-choropleth-legend.png');
    } finally {
      await context.close();
    }
  }, 120_000);
});
