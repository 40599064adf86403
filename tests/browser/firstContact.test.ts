/**
 * First contact (issue 14): what a newcomer meets in the first minutes, each with an
 * assertion, in a real browser (Debian chromium via playwright-core): marker badges that
 * an English reader can read, a phone layout where nothing covers the sample-data notice
 * and every button says what it does, …
 *
 * One server (in-memory PGlite, demo seed) and one browser for the whole file; each test
 * opens its own context. Screenshots go to tests/artifacts/ (git-ignored).
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CATEGORIES } from '../../core/catalogue';
import type { NearestStreetResponse } from '../../core/api';
import {
  browserSuite,
  type AtlasWindow,
  DESKTOP,
  failOnCiWithoutChromium,
  hasChromium,
  PHONE,
  shot,
  waitForMapLoaded,
  waitForRendered,
} from './harness';

failOnCiWithoutChromium('first contact');

/** A digest (FNV-1a) of each category marker's pixels as the map holds them. */
function markerDigests(page: Page, ids: string[]): Promise<Record<string, number>> {
  return page.evaluate((list) => {
    const map = (window as AtlasWindow).__atlasMap as unknown as {
      getImage(id: string): { data: { data: Uint8Array | Uint8ClampedArray } } | undefined;
    };
    const out: Record<string, number> = {};
    for (const id of list) {
      const bytes = map.getImage(`facility-${id}`)?.data.data;
      if (!bytes) continue;
      let h = 0x811c9dc5;
      for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
      out[id] = h;
    }
    return out;
  }, ids);
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The on-screen box of the visible text of `selector`'s label (its `span`), or null when hidden. */
function labelBox(page: Page, selector: string): Promise<(Box & { text: string }) | null> {
  return page.evaluate((sel) => {
    const span = document.querySelector(`${sel} > span`);
    if (!span || !(span as HTMLElement).checkVisibility()) return null;
    const r = span.getBoundingClientRect();
    // a visually-hidden label is clipped to 1×1 px
    if (getComputedStyle(span).clipPath !== 'none' || getComputedStyle(span).clip.startsWith('rect')) return null;
    return { x: r.x, y: r.y, width: r.width, height: r.height, text: span.textContent ?? '' };
  }, selector);
}

describe.skipIf(!hasChromium)('first contact', () => {
  const suite = browserSuite({}, { hookTimeoutMs: 240_000 });

  const openAtlas = (options: Parameters<Browser['newContext']>[0], query = '') => suite.open(options, `/${query}`, 'markers');

  it('draws Latin badges on the markers in English, not 游/母/托', async () => {
    // The catalogue's English badges are Latin letters (one or two), the Chinese ones a character.
    for (const c of CATEGORIES) {
      expect(c.badge.en, c.id).toMatch(/^[A-Za-z]{1,2}$/);
      expect(c.badge.zh, c.id).toMatch(/^\p{Script=Han}$/u);
    }
    const ids = CATEGORIES.map((c) => c.id);
    const { context, page } = await openAtlas(DESKTOP);
    try {
      const legendIcon = page.getByRole('checkbox', { name: '母婴室', exact: true }).locator('xpath=following-sibling::img');
      const zhMarkers = await markerDigests(page, ids);
      const zhLegend = await legendIcon.getAttribute('src');
      expect(Object.keys(zhMarkers)).toEqual(ids);
      await page.locator('#lang-toggle').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      // Every marker the map holds is redrawn (with its English badge), and so is the legend's.
      await expect
        .poll(async () => {
          const en = await markerDigests(page, ids);
          return ids.filter((id) => en[id] === undefined || en[id] === zhMarkers[id]);
        })
        .toEqual([]);
      const enLegend = await page
        .getByRole('checkbox', { name: 'Mother-and-baby room', exact: true })
        .locator('xpath=following-sibling::img')
        .getAttribute('src');
      expect(enLegend).not.toBe(zhLegend);
      await page.evaluate(() => (window as AtlasWindow).__atlasMap?.jumpTo({ center: [106.5775, 29.5572], zoom: 16 }));
      await waitForRendered(page, 'some');
      await page.waitForTimeout(400);
      await shot(page, 'first-contact-en-markers.png');
    } finally {
      await context.close();
    }
  });

  it('on a phone, "Tell us" covers neither the credits with the sample-data notice nor the scale; route and more say what they are', async () => {
    for (const [lang, notice, labels] of [
      ['zh', '示例设施为虚构数据', { route: '上学路线', more: '更多' }],
      ['en', 'Sample facilities are synthetic', { route: 'To school', more: 'More' }],
    ] as const) {
      const { context, page } = await openAtlas(PHONE, `?lang=${lang}`);
      try {
        for (const [sel, want] of [
          ['#route-toggle', labels.route],
          ['#tools-menu-button', labels.more],
        ] as const) {
          const box = await labelBox(page, sel);
          expect(box?.text, `${lang} ${sel}`).toBe(want);
          expect(box!.width, `${lang} ${sel} label width`).toBeGreaterThan(16);
          expect(box!.x + box!.width, `${lang} ${sel} on screen`).toBeLessThanOrEqual(390);
        }
        // Folded credits (the ⓘ) and then unfolded, showing the sample-data notice.
        const attrib = page.locator('.maplibregl-ctrl-attrib');
        const tell = page.locator('#feedback-open');
        const check = async (state: string) => {
          for (const over of ['#feedback-open', '.map-tools__layer']) {
            const o = (await page.locator(over).boundingBox())!;
            for (const under of ['.maplibregl-ctrl-attrib', '.maplibregl-ctrl-scale']) {
              expect(overlaps(o, (await page.locator(under).boundingBox())!), `${lang} ${state}: ${over} over ${under}`).toBe(false);
            }
          }
        };
        await check('credits folded');
        await page.locator('.maplibregl-ctrl-attrib-button').click();
        await expect.poll(() => attrib.getAttribute('class')).toContain('maplibregl-compact-show');
        await page.getByText(notice, { exact: false }).waitFor();
        await expect.poll(async () => overlaps((await tell.boundingBox())!, (await attrib.boundingBox())!)).toBe(false);
        await check('credits open');
        // Nothing is drawn over the notice: the topmost element at its centre is the credits.
        const n = (await page.getByText(notice, { exact: false }).boundingBox())!;
        expect(
          await page.evaluate(
            ([x, y]) => !!document.elementFromPoint(x, y)?.closest('.maplibregl-ctrl-attrib'),
            [n.x + n.width / 2, n.y + n.height / 2],
          ),
        ).toBe(true);
        await shot(page, `first-contact-${lang}-phone.png`);
      } finally {
        await context.close();
      }
    }
  });

  it('shows opening hours in the UI language with open now / closed now (China time)', async () => {
    const { context, page } = await openAtlas(DESKTOP);
    try {
      // Monday 10:00 in Chongqing (UTC+8); the demo kindergartens keep Mo-Fr 07:30-17:30.
      await page.clock.setFixedTime(new Date('2026-12-07T02:00:00Z'));
      await page.getByLabel('设施名称或地址').fill('幼儿园');
      await page.getByLabel('设施名称或地址').press('Enter');
      const results = page.getByRole('list', { name: '搜索结果' }).getByRole('button');
      await results.first().waitFor();
      await results
        .filter({ has: page.locator('.facility-item__meta', { hasText: '幼儿园' }) })
        .first()
        .click();
      await expect.poll(() => page.locator('#hours-text').textContent()).toBe('周一至周五 07:30–17:30；周六、周日 休息');
      expect(await page.locator('#hours-now').textContent()).toBe('现在营业');
      await shot(page, 'first-contact-zh-hours.png');
      // Sunday 10:00 in Chongqing, read again in English.
      await page.clock.setFixedTime(new Date('2026-12-06T02:00:00Z'));
      await page.locator('#lang-toggle').click();
      await expect.poll(() => page.locator('#hours-text').textContent()).toBe('Mon–Fri 07:30–17:30; Sat, Sun closed');
      expect(await page.locator('#hours-now').textContent()).toBe('Closed now');
    } finally {
      await context.close();
    }
  });

  it('counts districts as "1 district", "2 districts" (plural rules)', async () => {
    const { context, page } = await openAtlas(DESKTOP, '?lang=en');
    try {
      await page.getByRole('button', { name: 'Planner', exact: true }).click();
      const yuzhong = page.getByRole('checkbox', { name: 'Yuzhong', exact: false }).first();
      await yuzhong.waitFor({ timeout: 30_000 });
      const legend = page.locator('.planner-fieldset').filter({ has: yuzhong }).locator('legend');
      await yuzhong.check();
      await expect.poll(() => legend.textContent()).toMatch(/· 1 district chosen$/);
      await page.getByRole('checkbox', { name: 'Jiangbei', exact: false }).first().check();
      await expect.poll(() => legend.textContent()).toMatch(/· 2 districts chosen$/);
      await shot(page, 'first-contact-en-districts.png');
    } finally {
      await context.close();
    }
  });

  it('numbers near-me results on the map and in the list with the same numbers', async () => {
    const { context, page } = await openAtlas(DESKTOP);
    try {
      await page.getByRole('button', { name: '附近', exact: true }).click();
      await page.getByRole('button', { name: '以地图中心查询', exact: true }).click();
      const list = page.getByRole('list', { name: '附近设施，按距离排序' });
      await list.getByRole('listitem').first().waitFor({ timeout: 15_000 });
      const fromList = await list
        .locator('.facility-item')
        .evaluateAll((els) =>
          els.map((el) => [el.querySelector('.facility-item__number')?.textContent, (el as HTMLElement).dataset.facilityId]),
        );
      expect(fromList.length).toBeGreaterThan(3);
      expect(fromList.map(([n]) => n)).toEqual(fromList.map((_, i) => String(i + 1)));
      await expect
        .poll(() =>
          page.locator('.nearby-number').evaluateAll((els) => els.map((el) => [el.textContent, (el as HTMLElement).dataset.facilityId])),
        )
        .toEqual(fromList);
      // The closest one is on screen, over the map.
      const map = (await page.locator('.map-region').boundingBox())!;
      const one = (await page.locator('.nearby-number').first().boundingBox())!;
      expect(one.x >= map.x && one.y >= map.y && one.x + one.width <= map.x + map.width && one.y + one.height <= map.y + map.height).toBe(
        true,
      );
      await page.waitForTimeout(1000); // the map fits the closest results
      await shot(page, 'first-contact-zh-nearby-numbers.png');
    } finally {
      await context.close();
    }
  });

  it('export picks a district by name, not by typing its code', async () => {
    const { context, page } = await openAtlas(DESKTOP);
    try {
      await page.locator('#tools-menu-button').click();
      await page.getByRole('button', { name: '导出图层', exact: true }).click();
      const select = page.getByLabel('只导出一个区（可选）');
      await expect.poll(() => select.locator('option').allTextContents()).toContain('渝中区');
      expect(await select.evaluate((el) => el.tagName)).toBe('SELECT');
      await select.selectOption({ label: '渝中区' });
      const request = page.waitForRequest((r) => r.url().includes('/api/export/facilities?'));
      await page.getByRole('button', { name: '生成文件', exact: true }).click();
      expect(new URL((await request).url()).searchParams.get('district')).toBe('500103');
      await page.getByText('下载', { exact: false }).first().waitFor({ timeout: 30_000 });
      await shot(page, 'first-contact-zh-export.png');
    } finally {
      await context.close();
    }
  });

  it('the route-to-school button says before any click when the view has no walking network', async () => {
    const { context, page } = await openAtlas(DESKTOP, '?lang=en');
    try {
      const button = page.locator('#route-toggle');
      // 万州 has synthetic facilities but no network.
      await page.evaluate(() => (window as AtlasWindow).__atlasMap?.jumpTo({ center: [108.38, 30.81], zoom: 14 }));
      await button.locator('.tool-button__warn').waitFor({ timeout: 15_000 });
      expect(await button.getAttribute('title')).toBe('Route to school — No street network is loaded here');
      expect(await button.getAttribute('aria-description')).toBe('No street network is loaded here');
      await shot(page, 'first-contact-en-route-no-network.png');
      // Back in 渝中, which carries its OSM walking network, the warning goes.
      await page.evaluate(() => (window as AtlasWindow).__atlasMap?.jumpTo({ center: [106.5775, 29.5572], zoom: 15 }));
      await button.locator('.tool-button__warn').waitFor({ state: 'detached', timeout: 15_000 });
      expect(await button.getAttribute('aria-description')).toBeNull();
    } finally {
      await context.close();
    }
  });
  it("the planner's walking-network mode says before any click when the area has no walking network", async () => {
    for (const [lang, title, viewNote, districtNote] of [
      [
        'en',
        'No street network is loaded here',
        'The map view has no walking network',
        'The chosen districts (Wanzhou District) have no walking network',
      ],
      ['zh', '这里没有加载街道路网', '当前地图范围内没有步行路网', '所选地区（万州区）没有步行路网'],
    ] as const) {
      const { context, page } = await suite.open(DESKTOP);
      try {
        await page.goto(`${suite.baseUrl}/?lang=${lang}`);
        await waitForMapLoaded(page, 60_000);
        // 万州 has synthetic facilities but no network; the planner opens on the map view
        await page.evaluate(() => (window as AtlasWindow).__atlasMap?.jumpTo({ center: [108.38, 30.81], zoom: 13 }));
        await page.getByRole('button', { name: lang === 'en' ? 'Planner' : '规划', exact: true }).click();
        const walking = page.locator('label.radio[data-mode="network"]');
        await walking.waitFor({ timeout: 30_000 });
        // no district chosen, no mode clicked: the mark, the tooltip, and the note the radio points to
        await walking.locator('.no-network-mark').waitFor({ timeout: 15_000 });
        expect(await walking.getAttribute('title')).toBe(title);
        expect(await page.locator('label.radio[data-mode="both"] .no-network-mark').count()).toBe(1);
        expect(await page.locator('label.radio[data-mode="euclidean"] .no-network-mark').count()).toBe(0);
        const input = walking.locator('input');
        expect(await input.getAttribute('aria-describedby')).toBe('no-network-planner');
        const note = page.locator('#no-network-planner');
        expect(await note.textContent()).toContain(viewNote);
        expect(await note.textContent()).toContain(lang === 'en' ? 'Yuzhong' : '渝中区');
        await shot(page, `first-contact-${lang}-planner-no-network.png`);
        // over 渝中 (its OSM walking network) the mark goes
        await page.evaluate(() => (window as AtlasWindow).__atlasMap?.jumpTo({ center: [106.5775, 29.5572], zoom: 15 }));
        await walking.locator('.no-network-mark').waitFor({ state: 'detached', timeout: 15_000 });
        expect(await input.getAttribute('aria-describedby')).toBeNull();
        // a chosen district without a network says so, by name, wherever the map is
        await page
          .getByRole('checkbox', { name: lang === 'en' ? 'Wanzhou' : '万州区', exact: false })
          .first()
          .check();
        await walking.locator('.no-network-mark').waitFor({ timeout: 15_000 });
        expect(await note.textContent()).toContain(districtNote);
      } finally {
        await context.close();
      }
    }
  }, 120_000);

  it('a suggested site names its nearest street (from the OSM walking network) as well as its coordinates, zh and en', async () => {
    const { context, page } = await openAtlas(DESKTOP);
    try {
      await page.getByRole('button', { name: '规划', exact: true }).click();
      await page.getByLabel('设施类别').selectOption({ label: '幼儿园' });
      await page.locator('label.radio[data-mode="euclidean"] input').check();
      await page.getByRole('checkbox', { name: '渝中区', exact: true }).check();
      await page.locator('#planner-suggest').waitFor({ timeout: 60_000 });
      const suggestion = page.locator('#planner-suggestion');
      await page.locator('#planner-suggest').click();
      // "建议在渝中区<street>附近（lng, lat）新建…", the street as the server names it for those coordinates
      await expect.poll(() => suggestion.textContent(), { timeout: 30_000 }).toMatch(/^建议在渝中区\S+附近（106\.\d{4}, 29\.\d{4}）新建/);
      const zh = (await suggestion.textContent())!;
      const [, street, lng, lat] = /^建议在渝中区(\S+)附近（(106\.\d{4}), (29\.\d{4})）/.exec(zh)!;
      const answer = (await (
        await page.request.get(`${suite.baseUrl}/api/network/street?at=${lng},${lat}`)
      ).json()) as NearestStreetResponse;
      expect(answer.street?.name).toBe(street);
      await page.waitForTimeout(500);
      await shot(page, 'first-contact-zh-suggested-street.png');
      await page.locator('#lang-toggle').click();
      await expect
        .poll(() => suggestion.textContent())
        .toMatch(new RegExp(`^A new one near ${street} in Yuzhong[^(]*\\(${lng}, ${lat}\\) would bring`));
      await shot(page, 'first-contact-en-suggested-street.png');
    } finally {
      await context.close();
    }
  }, 120_000);
});
