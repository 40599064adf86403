/**
 * Participation and editing in a real browser (same launch as atlas.test.ts): on a
 * 390×844 phone in Chinese a child sends "我想要一个游乐场" (tap the map) → pending; an
 * editor signs in on a desktop in English, approves it in the moderation queue → the pin
 * is on the public feedback layer; the editor renames a facility, sees it in the history
 * and reverts it; a second editor's save (via the API, stale version) makes the first
 * editor's save a 409 shown with their values, re-applied; the indicators view shows the
 * nursery row; the export panel makes a GeoPackage of kindergartens. axe scans of the
 * feedback dialog and the dashboard; screenshots in tests/artifacts/participation-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  axeScan,
  browserSuite,
  DESKTOP,
  failOnCiWithoutChromium,
  hasChromium,
  JIEFANGBEI,
  PHONE,
  shot,
  waitForMapLoaded,
  type AtlasWindow,
} from './harness';

failOnCiWithoutChromium('participation and editing in the browser');

const ADMIN = { username: 'admin', password: 'participation-test-pw' };
const FEEDBACK_LAYER = 'atlas-feedback-pins';
const CHILD_TEXT = '我们小区没有地方玩滑梯';

describe.skipIf(!hasChromium)('participation and editing in the browser', () => {
  const suite = browserSuite({ config: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password } }, { hookTimeoutMs: 180_000 });

  const open = (options: Parameters<Browser['newContext']>[0], query = '') => suite.open(options, `/${query}`, 'markers');

  /** The signed-in page's own API call with its CSRF token (a second editor, a check). */
  function apiCall<T>(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; json: T }> {
    return page.evaluate(
      async ([method, url, body]) => {
        const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken?: string };
        const res = await fetch(url as string, {
          method: method as string,
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken ?? '' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, json: await res.json().catch(() => null) };
      },
      [method, url, body] as const,
    ) as Promise<{ status: number; json: T }>;
  }

  it('a child on a phone sends "I want a playground here"; an editor approves it; it shows on the map', async () => {
    const { context, page } = await open({ ...PHONE, geolocation: JIEFANGBEI, permissions: ['geolocation'] });
    let pinId: number;
    try {
      // Nothing overflows the phone's width (header buttons, the sheet).
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.getByRole('button', { name: '我有建议' }).click();
      const dialog = page.getByRole('dialog', { name: '你想告诉我们什么？' });
      await dialog.waitFor();
      await shot(page, 'participation-zh-phone-1-what.png');
      await axeScan(page, 'feedback dialog, step 1 (zh phone)');
      await dialog.getByRole('button', { name: '我想要一个游乐场' }).click();
      // Step 2: tap the map (above the sheet).
      await page.getByRole('heading', { name: '在哪里？' }).waitFor();
      const canvas = await page.locator('canvas.maplibregl-canvas').boundingBox();
      await page.mouse.click(canvas!.x + canvas!.width / 2, canvas!.y + 140);
      await page.getByText('已选好位置 ✓').waitFor();
      // The picked point is drawn on the map.
      await page.waitForFunction(() => {
        const map = (window as AtlasWindow).__atlasMap;
        return !!map?.getLayer('atlas-tool-pick') && map.queryRenderedFeatures({ layers: ['atlas-tool-pick'] }).length === 1;
      });
      await waitForMapLoaded(page, 10_000);
      await page.waitForTimeout(800);
      await shot(page, 'participation-zh-phone-2-where.png');
      await page.getByRole('button', { name: '下一步' }).click();
      await page.getByLabel('你的话').fill(CHILD_TEXT);
      await expect.poll(() => page.locator('#fb-count').textContent()).toBe(`${CHILD_TEXT.length} / 500 字`);
      await page.getByRole('radio', { name: '6–11 岁' }).check();
      await shot(page, 'participation-zh-phone-3-words.png');
      await axeScan(page, 'feedback dialog, step 3 (zh phone)');
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/feedback') && r.request().method() === 'POST'),
        page.getByRole('button', { name: '发送' }).click(),
      ]);
      expect(response.status()).toBe(201);
      const pin = (await response.json()) as { id: number; properties: { status: string; category: string } };
      expect(pin.properties).toMatchObject({ status: 'pending', category: 'want_playground' });
      pinId = pin.id;
      await page.getByText('谢谢！管理员审核后会显示在地图上。').waitFor();
      await shot(page, 'participation-zh-phone-4-thanks.png');
      // Pending pins are not public.
      const pub = (await (await page.request.get(`${suite.baseUrl}/api/feedback`)).json()) as { features: { id: number }[] };
      expect(pub.features.map((f) => f.id)).not.toContain(pinId);
    } finally {
      await context.close();
    }

    // The editor, on a desktop, in English.
    const { context: ctx2, page: ed } = await open(DESKTOP, '?lang=en');
    try {
      await ed.getByRole('button', { name: 'More' }).click();
      await ed.getByRole('button', { name: 'Sign in' }).click();
      await ed.getByLabel('User name').fill(ADMIN.username);
      await ed.getByLabel('Password').fill(ADMIN.password);
      await ed.getByRole('button', { name: 'Sign in' }).click();
      const queue = ed.getByRole('dialog', { name: 'Moderation queue' });
      await queue.waitFor();
      const item = queue.locator(`[data-feedback-id="${pinId}"]`);
      await expect.poll(() => item.textContent()).toContain(CHILD_TEXT);
      await shot(ed, 'participation-en-desktop-queue.png');
      await item.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(() => item.count()).toBe(0);
      // Public now, and drawn on the map's feedback layer.
      const pub = (await (await ed.request.get(`${suite.baseUrl}/api/feedback`, { headers: { Cookie: '' } })).json()) as {
        features: { id: number }[];
      };
      expect(pub.features.map((f) => f.id)).toContain(pinId);
      await ed.waitForFunction(
        ([layer, id]) => {
          const map = (window as AtlasWindow).__atlasMap;
          return !!map?.getLayer(layer) && map.queryRenderedFeatures({ layers: [layer] }).some((f) => f.properties.id === id);
        },
        [FEEDBACK_LAYER, pinId] as const,
        { timeout: 15_000, polling: 200 },
      );
    } finally {
      await ctx2.close();
    }
  }, 120_000);

  it('an editor renames a facility, sees it in the history, reverts it, and meets a conflict', async () => {
    const { context, page } = await open(DESKTOP, '?lang=en');
    try {
      await page.getByRole('button', { name: 'More' }).click();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('User name').fill(ADMIN.username);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('dialog', { name: 'Moderation queue' }).waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('[data-tool]').count()).toBe(0);

      // A facility from the list view → details → Edit.
      await page.locator('#list-toggle').click();
      const first = page.locator('[data-facility-id]').first();
      await first.waitFor();
      const id = Number(await first.getAttribute('data-facility-id'));
      await first.click();
      await page.locator('#facility-edit').click();
      const editor = page.getByRole('dialog', { name: /Edit facility/ });
      await editor.waitFor();
      const nameBox = page.locator('#ed-name_zh');
      await expect.poll(() => nameBox.inputValue()).not.toBe('');
      const original = await nameBox.inputValue();
      await nameBox.fill(`${original}（改名测试）`);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText(/^Saved \(version \d+\)\.$/).waitFor();
      const history = editor.locator('.tool-history li');
      await expect.poll(() => history.first().textContent()).toContain('update');
      const renamed = (await (await page.request.get(`${suite.baseUrl}/api/facilities/${id}`)).json()) as {
        properties: { name_zh: string; version: number };
      };
      expect(renamed.properties.name_zh).toBe(`${original}（改名测试）`);
      // Revert to the version before.
      await history.nth(1).getByRole('button', { name: 'Revert to this version' }).click();
      await page.getByText(/^Reverted to version \d+/).waitFor();
      await expect.poll(() => nameBox.inputValue()).toBe(original);
      const back = (await (await page.request.get(`${suite.baseUrl}/api/facilities/${id}`)).json()) as {
        properties: { name_zh: string; version: number };
      };
      expect(back.properties.name_zh).toBe(original);

      // Another editor saves first (through the API, on the current version) …
      const other = await apiCall<{ properties: { version: number } }>(page, 'PATCH', `/api/facilities/${id}`, {
        version: back.properties.version,
        opening_hours: '08:00-18:00',
      });
      expect(other.status).toBe(200);
      // … so this editor's save, on the version the form was loaded at, is a 409.
      await page.locator('#ed-address').fill('Test address 1');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const conflict = editor.getByRole('alert').filter({ hasText: 'Someone else changed this facility' });
      await conflict.waitFor();
      expect(await conflict.textContent()).toContain('08:00-18:00');
      await shot(page, 'participation-en-desktop-editor-conflict.png');
      await conflict.getByRole('button', { name: 'Re-apply my changes on the latest version' }).click();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText(/^Saved \(version \d+\)\.$/).waitFor();
      const final = (await (await page.request.get(`${suite.baseUrl}/api/facilities/${id}`)).json()) as {
        properties: { address: string; opening_hours: string };
      };
      expect(final.properties).toMatchObject({ address: 'Test address 1', opening_hours: '08:00-18:00' });
      await shot(page, 'participation-en-desktop-editor.png');
      await axeScan(page, 'facility editor (en desktop)');

      // Add a facility by clicking the map.
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'More' }).click();
      await page.getByRole('button', { name: 'Add facility' }).click();
      const adder = page.getByRole('dialog', { name: 'Add facility' });
      await adder.waitFor();
      const canvas = await page.locator('canvas.maplibregl-canvas').boundingBox();
      await page.mouse.click(canvas!.x + 200, canvas!.y + 300);
      await expect.poll(() => adder.textContent()).toMatch(/lng 10\d\.\d+, lat 2\d\.\d+/);
      await page.locator('#ed-name_zh').fill('测试新游乐场');
      const [created] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/facilities') && r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Save', exact: true }).click(),
      ]);
      expect(created.status()).toBe(201);
      await page.getByText(/^Added \(id \d+\)\.$/).waitFor();
    } finally {
      await context.close();
    }
  }, 120_000);

  it('opens the indicators dashboard with the nursery row and closes it with Esc', async () => {
    const { context, page } = await open(DESKTOP, '?lang=en');
    try {
      await page.locator('#indicators-toggle').click();
      const view = page.getByRole('dialog', { name: 'Indicators' });
      await view.waitFor();
      // The nursery indicator: its summary card and its column in the districts × indicators table.
      await view.locator('.ind-card__name', { hasText: 'Nursery places per 1,000 residents' }).waitFor({ timeout: 20_000 });
      expect(await view.locator('th', { hasText: 'Nursery places /1,000' }).count()).toBeGreaterThan(0);
      await view.getByLabel('Colour the map by').selectOption('nursery_places_per_1000');
      await view.locator('.ind-legend').waitFor();
      await shot(page, 'participation-en-dashboard.png');
      await axeScan(page, 'indicators dashboard (en)');
      await page.keyboard.press('Escape');
      await expect.poll(() => view.count()).toBe(0);
      // The choropleth stays on the district fill.
      const fill = await page.evaluate(() =>
        JSON.stringify(
          (window as unknown as { __atlasMap: { getPaintProperty(l: string, p: string): unknown } }).__atlasMap.getPaintProperty(
            'atlas-district-fill',
            'fill-color',
          ),
        ),
      );
      expect(fill).toContain('match');
      await shot(page, 'participation-en-choropleth.png');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('exports kindergartens as a GeoPackage', async () => {
    const { context, page } = await open(DESKTOP, '?lang=en');
    try {
      await page.getByRole('button', { name: 'None', exact: true }).click();
      await page.getByRole('checkbox', { name: 'Kindergarten', exact: true }).check();
      await page.getByRole('button', { name: 'More' }).click();
      await page.getByRole('button', { name: 'Export' }).click();
      const panel = page.getByRole('dialog', { name: 'Export a layer' });
      await panel.waitFor();
      await panel.getByRole('radio', { name: /^GeoPackage/ }).check();
      await panel.getByRole('radio', { name: /^CGCS2000/ }).check();
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/export/facilities')),
        panel.getByRole('button', { name: 'Make the file' }).click(),
      ]);
      expect(response.status()).toBe(200);
      expect(response.url()).toContain('category=kindergarten');
      const link = panel.locator('a[download]');
      await link.waitFor();
      const name = await link.getAttribute('download');
      expect(name).toMatch(/^facilities_kindergarten_cgcs2000_\d{4}-\d{2}-\d{2}\.gpkg$/);
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toBe(name);
      // A combination the server refuses shows its message.
      await panel.getByRole('radio', { name: /^KML/ }).check();
      await panel.getByRole('radio', { name: /^Web Mercator/ }).check();
      await panel.getByRole('button', { name: 'Make the file' }).click();
      await expect.poll(() => panel.getByRole('alert').textContent()).toMatch(/KML/);
      await shot(page, 'participation-en-export.png');
    } finally {
      await context.close();
    }
  }, 60_000);
});
