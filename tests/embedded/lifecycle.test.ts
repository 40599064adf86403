/**
 * Issue 16 cases 1 and 2 and issue 12 §1, with the real app as a child process group
 * (`npm start`), signalled as a terminal or a supervisor does.
 *
 * - Case 1: `npm start`, `npm run import -- <osm file>` while it serves, SIGTERM to the
 *   group, restart → opens, with the import (the CLI hands the file to the app).
 * - Case 2: a run with background work (the indicators' walking-coverage computation),
 *   writes (feedback pins) and mixed reads, stopped with SIGTERM twice, SIGINT twice, and
 *   kill -9 to the group → reopens every time, with every acknowledged write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, appEnv, postFeedback, runScript, startApp, tempDataDir, type AppProcess } from './harness';
import { openPglite } from '../../server/db/pglite';
import { lockFileOf } from '../../server/db/lock';
import { createMigratedFolder } from '../support/migratedFolder';

const dir = tempDataDir();
const env = { FEEDBACK_RATE_LIMIT: '1000000' };
let app: AppProcess | null = null;

async function facilityCount(url: string): Promise<number> {
  const r = await fetch(`${url}/api/facilities?bbox=106,29,107,30`);
  expect(r.status).toBe(200);
  return ((await r.json()) as { features: unknown[] }).features.length;
}

async function feedbackIds(): Promise<Set<number>> {
  const db = await openPglite(dir, { role: 'test' });
  try {
    return new Set((await db.query<{ id: number }>('SELECT id FROM feedback')).rows.map((r) => r.id));
  } finally {
    await db.close();
  }
}

/** Mixed requests until `stop` says so: writes (ids acknowledged with 201 are kept) and reads that start background work. */
function load(url: string, acked: number[], stop: () => boolean): Promise<void> {
  const writer = (async () => {
    for (let i = 0; !stop(); i++) {
      const id = await postFeedback(url, `soak ${i}`);
      if (id !== null) acked.push(id);
    }
  })();
  const reader = (async () => {
    const paths = [
      '/api/indicators',
      '/api/health',
      '/api/facilities?bbox=106,29,107,30',
      '/api/tiles/facilities/14/13224/6748.pbf',
      '/api/coverage?category=playground&districts=500103',
    ];
    for (let i = 0; !stop(); i++) {
      await fetch(url + paths[i % paths.length], { signal: AbortSignal.timeout(20_000) })
        .then((r) => r.arrayBuffer())
        .catch(() => undefined); // load only: a read cut by the stop (connection or body) is not a write
    }
  })();
  return Promise.all([writer, reader]).then(() => undefined);
}

describe('the embedded app under stops', () => {
  // the folder starts migrated (the run's template): the first migration of a folder is
  // server/db/migrate.test.ts's subject, not this file's
  beforeAll(async () => {
    expect(existsSync(dir)).toBe(false);
    await createMigratedFolder(dir);
  }, 120_000);
  afterAll(async () => {
    app?.signal('SIGKILL');
  });

  it('case 1: an import while the app serves is handed to it, served at once, and kept across a SIGTERM to the group', async () => {
    app = await startApp(dir, { viaNpm: true, env });
    expect(existsSync(lockFileOf(dir))).toBe(true);
    let stop = false;
    const acked: number[] = [];
    const busy = load(app.url, acked, () => stop);
    const cli = appEnv(dir, env);
    const d = await runScript('import', [path.join(FIXTURES, 'districts.geojson'), '--no-snapshot'], cli);
    expect(d.out).toMatch(/handing districts\.geojson/);
    expect(d.code, d.out).toBe(0);
    const o = await runScript('import', [path.join(FIXTURES, 'tiny.osm')], cli);
    expect(o.code, o.out).toBe(0);
    expect(o.out).toMatch(/Imported: tiny\.osm/);
    expect(o.out).toMatch(/Backup before importing: /);
    // the running app serves the new data at once
    expect(await facilityCount(app.url)).toBe(4);
    // anything else that would open the folder is refused, naming the app and what to do
    const seed = await runScript('seed', [], cli);
    expect(seed.code).toBe(1);
    expect(seed.out).toMatch(/in use by the atlas app \(npm start, pid \d+, http:\/\/127\.0\.0\.1:\d+/);
    expect(seed.out).toMatch(/Stop the app first/);
    stop = true;
    await busy;
    app.signal('SIGTERM');
    await app.exited();
    expect(app.output()).toMatch(/Closed cleanly/);
    expect(existsSync(lockFileOf(dir))).toBe(false);

    app = await startApp(dir, { viaNpm: true, env });
    expect(await facilityCount(app.url)).toBe(4);
    const runs = await (await fetch(`${app.url}/api/health`)).status;
    expect(runs).toBe(200);
    app.signal('SIGINT');
    await app.exited();
    const ids = await feedbackIds();
    for (const id of acked) expect(ids.has(id)).toBe(true);
    console.log(
      `case 1: ${acked.length} feedback writes acknowledged during the imports, ${acked.filter((i) => ids.has(i)).length} present`,
    );
  }, 900_000);

  const stops: [string, (a: AppProcess) => Promise<void>][] = [
    [
      'SIGTERM twice',
      async (a) => {
        a.signal('SIGTERM');
        await new Promise((r) => setTimeout(r, 30));
        a.signal('SIGTERM');
      },
    ],
    [
      'SIGINT twice',
      async (a) => {
        a.signal('SIGINT');
        await new Promise((r) => setTimeout(r, 200));
        a.signal('SIGINT');
      },
    ],
    ['kill -9', async (a) => a.signal('SIGKILL')],
  ];
  for (const [name, stopIt] of stops) {
    it(`case 2: background coverage + writes + mixed reads, stopped with ${name} to the group → reopens with every acknowledged write`, async () => {
      app = await startApp(dir, { viaNpm: true, env });
      let stop = false;
      const acked: number[] = [];
      const busy = load(app.url, acked, () => stop);
      // let the background indicator computation start and writes flow
      await new Promise((r) => setTimeout(r, 4000));
      await stopIt(app);
      await app.exited();
      stop = true;
      await busy;
      if (name !== 'kill -9') {
        expect(app.output()).toMatch(/Closed cleanly/);
        expect(app.output()).not.toMatch(/RuntimeError|Aborted/);
      }
      if (name === 'SIGINT twice') expect(app.output()).toMatch(/still closing|Closed cleanly/);
      const ids = await feedbackIds(); // opens the folder again
      const present = acked.filter((i) => ids.has(i)).length;
      console.log(`case 2 (${name}): acknowledged ${acked.length}, present ${present}`);
      expect(acked.length).toBeGreaterThan(0);
      expect(present).toBe(acked.length);
    }, 600_000);
  }
});
