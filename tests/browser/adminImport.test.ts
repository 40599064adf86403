/**
 * Admin upload in a real browser (English, desktop): sign in as admin, More → Import data,
 * choose a facility register with bad rows, Check → the dry run lists the rejected rows
 * with their reasons and writes nothing; Confirm import → imported, and the rows are in
 * the database. Screenshots in tests/artifacts/admin-import-*.png.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import type { RunningServer } from '../../server/main';
import { browserSuite, DESKTOP, failOnCiWithoutChromium, hasChromium, ROOT, shot } from './harness';

failOnCiWithoutChromium('admin import in the browser');

const ADMIN = { username: 'importadmin', password: 'import-admin-password-1' };

describe.skipIf(!hasChromium)('admin import panel (needs /usr/bin/chromium)', () => {
  let server: RunningServer;
  const suite = browserSuite(
    {
      external: false,
      config: { SEED_DEMO: 'never', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password },
      prepare: async (s) => (server = s),
    },
    { hookTimeoutMs: 600_000 },
  );

  it('check, see the rejections with reasons, confirm, imported', async () => {
    const { page } = await suite.open({ ...DESKTOP, locale: 'en-US' }, '/?lang=en');
    await page.click('#tools-menu-button');
    await page.getByRole('button', { name: /Sign in|登录/ }).click();
    await page.fill('#signin-user', ADMIN.username);
    await page.fill('#signin-pass', ADMIN.password);
    await page.press('#signin-pass', 'Enter');
    await page.waitForFunction(() => !document.getElementById('signin-user'));
    await page.keyboard.press('Escape'); // signing in opens the moderation queue: close it
    await page.waitForFunction(() => !document.querySelector('[data-tool="moderation"]'));
    await page.click('#tools-menu-button');
    await page.getByRole('button', { name: /Import data|导入数据/ }).click();
    await page.setInputFiles('[data-tool="import"] input[type="file"]', path.join(ROOT, 'tests/fixtures/import/register-bad.csv'));
    await page.locator('[data-tool="import"] button.button').first().click();
    await page.waitForSelector('[data-import-status="done"]', { timeout: 120_000 });
    const dry = await page.locator('[data-tool="import"]').textContent();
    expect(dry).toMatch(/nothing written|尚未写入/);
    expect(dry).toMatch(/Rejected rows and why|被拒绝的行及原因/);
    await shot(page, 'admin-import-dry-run.png');
    const before = (await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM facilities')).rows[0].n;
    expect(before).toBe(0);
    await page.click('#import-confirm');
    await page.waitForFunction(() => /Imported|已导入/.test(document.querySelector('[data-tool="import"]')?.textContent ?? ''), null, {
      timeout: 120_000,
    });
    await shot(page, 'admin-import-done.png');
    const after = (await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM facilities')).rows[0].n;
    expect(after).toBeGreaterThan(0);
    expect(suite.pageErrors).toEqual([]);
  }, 600_000);
});
