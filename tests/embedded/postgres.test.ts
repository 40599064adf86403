/**
 * Issue 12 §1 on PostgreSQL: `npm run import` while the app serves writes directly (a
 * server database takes any number of processes), the app serves the rows at once, and
 * they are there after a restart. (The admin upload path on PostgreSQL:
 * tests/api/adminImports.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { createScratchSchema, dropScratchSchema } from '../../server/db/scratch';
import { startServer, type RunningServer } from '../../server/main';
import { FIXTURES, runScript } from './harness';

const URL_ = process.env.TEST_DATABASE_URL;

describe.skipIf(!URL_)('import while the app runs, on PostgreSQL (needs TEST_DATABASE_URL)', () => {
  let schema: string | undefined;
  let app: RunningServer | undefined;
  afterAll(async () => {
    await app?.close();
    if (schema) await dropScratchSchema(URL_!, schema);
  });

  it('the command writes directly; the app serves the rows at once and after a restart', async () => {
    schema = await createScratchSchema(URL_!, 'emb');
    const config = { DATABASE_URL: URL_!, PORT: 0, HOST: '127.0.0.1', SEED_DEMO: 'never' as const, LOG_LEVEL: 'silent' as const };
    app = await startServer({ config, schema });
    const sep = URL_!.includes('?') ? '&' : '?';
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: `${URL_}${sep}options=${encodeURIComponent(`-c search_path=${schema},public`)}`,
    };
    const r = await runScript('import', [path.join(FIXTURES, 'tiny.osm'), '--no-snapshot'], env);
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toMatch(/handing/);
    const count = async () =>
      ((await (await fetch(`${app!.url}/api/facilities?bbox=106,29,107,30`)).json()) as { features: unknown[] }).features.length;
    expect(await count()).toBe(4);
    await app.close();
    app = await startServer({ config, schema });
    expect(await count()).toBe(4);
  }, 300_000);
});
