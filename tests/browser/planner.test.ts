/**
 * The planner in a real browser (Debian chromium via playwright-core, the same launch as
 * tests/browser/atlas.test.ts): open the planner, choose kindergartens in 渝中区 (500103),
 * see the gap polygons and the district table, propose a kindergarten by clicking the map
 * inside a gap and watch the uncovered children go down, ask for the next best site, sort
 * the table from the keyboard, and switch to English — with screenshots in zh and en
 * (tests/artifacts/planner-*.png) and axe scans with no serious or critical violations.
 *
 * It also checks the first load: deck.gl and the planner code are not fetched until the
 * planner is opened.
 *
 * Setup as atlas.test.ts: builds the client when stale, starts the server in memory with
 * the demo seed (or uses ATLAS_TEST_URL). Skipped locally without /usr/bin/chromium.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeScan, browserSuite, DESKTOP, failOnCiWithoutChromium, hasChromium, shot, waitForMapLoaded, type AtlasWindow } from './harness';

failOnCiWithoutChromium('planner in the browser');

type PlannerWindow = AtlasWindow & {
  __plannerOverlay?: { _deck: { props: { layers: { id: string; props: Record<string, any> }[] } } };
};

/** The number of gap polygons and cells the deck.gl layers draw (−1 before the overlay exists). */
function layerCounts(page: Page): Promise<{ gaps: number; cells: number; uncovered: number }> {
  return page.evaluate(() => {
    const o = (window as PlannerWindow).__plannerOverlay;
    if (!o) return { gaps: -1, cells: -1, uncovered: -1 };
    const layers = o._deck.props.layers;
    const gaps = layers.find((l) => l.id === 'planner-gaps');
    const cells = layers.find((l) => l.id === 'planner-cells');
    // one colour per vertex, five vertices (a closed square) per cell
    const colours: Uint8Array | undefined = cells?.props.data?.attributes?.getFillColor?.value;
    let uncovered = 0;
    if (colours) for (let i = 0; i < colours.length; i += 20) if (colours[i] === 234) uncovered++;
    return { gaps: gaps?.props.data?.features?.length ?? 0, cells: cells?.props.data?.length ?? 0, uncovered };
  });
}

/** A screen point (page coordinates) at the centre of an uncovered cell well inside the map. */
function pointInGap(page: Page): Promise<{ x: number; y: number } | null> {
  return page.evaluate(() => {
    const w = window as PlannerWindow;
    const map = w.__atlasMap!;
    const cells = w.__plannerOverlay!._deck.props.layers.find((l) => l.id === 'planner-cells')!;
    const pos: Float64Array = cells.props.data.attributes.getPolygon.value;
    const col: Uint8Array = cells.props.data.attributes.getFillColor.value;
    const rect = map.getCanvas().getBoundingClientRect();
    const n = col.length / 20;
    // the uncovered cell with the most uncovered neighbours (deep inside a gap)
    let best: { x: number; y: number; score: number } | null = null;
    const pts: { x: number; y: number; u: boolean }[] = [];
    for (let i = 0; i < n; i++) {
      // the square's centre: halfway between its south-west and north-east corners
      const p = map.project([(pos[10 * i] + pos[10 * i + 4]) / 2, (pos[10 * i + 1] + pos[10 * i + 5]) / 2]);
      pts.push({ x: p.x, y: p.y, u: col[20 * i] === 234 });
    }
    for (const p of pts) {
      if (!p.u || p.x < 80 || p.y < 80 || p.x > rect.width - 80 || p.y > rect.height - 80) continue;
      let score = 0;
      for (const q of pts) if (q.u && Math.abs(q.x - p.x) < 40 && Math.abs(q.y - p.y) < 40) score++;
      if (!best || score > best.score) best = { x: rect.left + p.x, y: rect.top + p.y, score };
    }
    return best ? { x: best.x, y: best.y } : null;
  });
}

/** "8,097" → 8097 */
const num = (s: string | null) => Number((s ?? '').replace(/[^\d.]/g, ''));

describe.skipIf(!hasChromium)('planner in the browser', () => {
  // the demo alone (SEED_OSM=never): this suite reads the straight-line planner and the
  // "no walking network" note on 渝中; the default app with 渝中's OSM network is
  // tests/browser/yuzhong.test.ts
  const suite = browserSuite({ external: false, config: { SEED_OSM: 'never' } });

  it('渝中区 kindergartens: gaps, table, a proposed site lowers the uncovered children; zh and en', async () => {
    const { context, page } = await suite.open(DESKTOP);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    try {
      await page.goto(`${suite.baseUrl}/`);
      await waitForMapLoaded(page);
      // first load: no planner code, no deck.gl
      expect(requested.filter((u) => /\/assets\/(Planner|worker-)|deck/.test(u))).toEqual([]);

      await page.getByRole('button', { name: '规划', exact: true }).click();
      await page.getByRole('heading', { name: '覆盖与缺口' }).waitFor();
      await page.getByLabel('设施类别').selectOption({ label: '幼儿园' });
      await page.getByRole('checkbox', { name: '渝中区', exact: true }).check();

      // the answer in words, the table and the gap polygons
      const headline = page.locator('#planner-headline');
      await expect
        .poll(() => headline.textContent(), { timeout: 30_000 })
        .toMatch(/^渝中区：3–5 岁儿童 [\d,]+ 人中，有 [\d,]+ 人（[\d.]+%）直线 300 米内没有幼儿园。$/);
      const table = page.getByRole('table', { name: '各区县覆盖情况（点击表头排序）' });
      const row = table.getByRole('row', { name: /渝中区/ });
      await row.waitFor();
      await expect.poll(async () => (await layerCounts(page)).gaps, { timeout: 20_000 }).toBeGreaterThan(0);
      const uncoveredCell = row.getByRole('cell').nth(1);
      const before = num(await uncoveredCell.textContent());
      expect(before).toBeGreaterThan(1000);
      // the norm and its citation are shown
      await page.getByText('规范：300 米（5 分钟生活圈），服务 3–5 岁 儿童。', { exact: false }).waitFor();
      // no street network in the demo data: said plainly
      await page.getByText('该区域尚未导入步行路网', { exact: false }).waitFor();

      // what-if: the worker is ready, then a click inside a gap proposes a kindergarten
      await page.locator('#planner-add-centre').waitFor({ timeout: 30_000 });
      await page.waitForTimeout(800); // fit-to-district animation
      await shot(page, 'planner-zh-desktop.png');
      await axeScan(page, 'planner zh', ['canvas#deckgl-overlay']);
      const target = await pointInGap(page);
      expect(target, 'an uncovered cell on screen').not.toBeNull();
      const uncoveredCells = (await layerCounts(page)).uncovered;
      await page.mouse.click(target!.x, target!.y);
      await expect.poll(async () => num(await uncoveredCell.textContent()), { timeout: 10_000 }).toBeLessThan(before);
      const after = num(await uncoveredCell.textContent());
      expect(await page.locator('#planner-change').textContent()).toMatch(/未覆盖儿童：[\d,]+ → [\d,]+（−[\d,]+）/);
      expect((await layerCounts(page)).uncovered).toBeLessThan(uncoveredCells);
      await page.getByRole('list').filter({ hasText: '拟建 1' }).waitFor();

      // the next best site, adopted
      await page.locator('#planner-suggest').click();
      await expect.poll(() => page.locator('#planner-suggestion').textContent()).toMatch(/可使 [\d,]+ 名3–5 岁儿童进入 300 米直线范围/);
      await page.waitForTimeout(300);
      await shot(page, 'planner-zh-desktop-whatif.png');
      await page.getByRole('button', { name: '采纳此选址' }).click();
      await expect.poll(async () => num(await uncoveredCell.textContent())).toBeLessThan(after);

      // the table sorts from the keyboard
      const districtHeader = table.getByRole('columnheader', { name: /区县/ });
      await districtHeader.getByRole('button').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => districtHeader.getAttribute('aria-sort')).toBe('ascending');

      // English
      await page.getByRole('button', { name: 'Switch to English', exact: true }).click();
      await expect
        .poll(() => headline.textContent())
        .toMatch(
          /^Yuzhong District: of [\d,]+ children aged 3–5, [\d,]+ \([\d.]+ %\) have no kindergarten within 300 m in a straight line\.$/,
        );
      await page.getByRole('table', { name: 'Coverage by district (select a column heading to sort)' }).waitFor();
      await page.getByText('Uncovered children:', { exact: false }).waitFor();
      await shot(page, 'planner-en-desktop.png');
      await page.locator('#sidebar').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.waitForTimeout(200);
      await shot(page, 'planner-en-desktop-whatif.png');
      await axeScan(page, 'planner en', ['canvas#deckgl-overlay']);

      // undo twice and the baseline is back
      await page.getByRole('button', { name: 'Reset all', exact: true }).click();
      await expect
        .poll(async () =>
          num(
            await page
              .getByRole('row', { name: /Yuzhong/ })
              .getByRole('cell')
              .nth(1)
              .textContent(),
          ),
        )
        .toBe(before);

      // back to the resident map: markers return
      await page.getByRole('button', { name: 'Back to the resident map' }).click();
      await page.getByRole('heading', { name: 'Search facilities' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
