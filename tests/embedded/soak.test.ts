/**
 * SOAK TEST (issue 16, "Done when"): bounded, loopback only. SOAK_CYCLES times (default
 * 6 in the suite; `npm run soak` runs the full 20 of issue 16): start the embedded app on one folder (SEED_DEMO=never, a tiny in-tree fixture so
 * each start is short), load it (feedback writes — every 201 recorded — and reads that
 * start the background indicator computation), then stop the whole process group with a
 * random signal (SIGINT, SIGTERM, a double SIGINT/SIGTERM, or kill -9; the first five
 * cycles use each of them once, in a random order) at a random moment; the next start must open the folder. At the end every acknowledged write must be there.
 * Prints the counts. Run alone: `npm run soak` (SOAK_CYCLES=20; SOAK_SEED reproduces a run).
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { FIXTURES, appEnv, postFeedback, runScript, startApp, tempDataDir } from './harness';
import { openPglite } from '../../server/db/pglite';
import { createMigratedFolder } from '../support/migratedFolder';

const CYCLES = Number(process.env.SOAK_CYCLES ?? 6);
const STOPS = ['SIGINT', 'SIGTERM', 'SIGINT twice', 'SIGTERM twice', 'kill -9'] as const;

/** Deterministic "random" (a seed printed with the result reproduces a run). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('SOAK: start, load, stop with a random signal, reopen', () => {
  it(`${CYCLES} cycles keep every acknowledged write and always reopen`, async () => {
    const seed = Number(process.env.SOAK_SEED ?? Date.now() % 100_000);
    const rand = rng(seed);
    // every way of stopping at least once (when CYCLES >= 5), in a seeded order
    const firstStops = [...STOPS].sort(() => rand() - 0.5);
    const dir = tempDataDir('atlas-soak-');
    const env = { FEEDBACK_RATE_LIMIT: '1000000' };
    await createMigratedFolder(dir); // migrated already (the run's template): the cycles are the subject
    // the tiny fixture: 2 districts + 4 facilities + a street network, so the background coverage has work
    for (const f of ['districts.geojson', 'tiny.osm']) {
      const r = await runScript('import', [path.join(FIXTURES, f), '--no-snapshot'], appEnv(dir, env));
      expect(r.code, r.out).toBe(0);
    }
    const acked: number[] = [];
    const byStop: Record<string, number> = {};
    const startsMs: number[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const t0 = performance.now();
      const app = await startApp(dir, { env }); // throws (with the app's output) if the folder does not open
      startsMs.push(performance.now() - t0);
      let stop = false;
      const writer = (async () => {
        for (let i = 0; !stop; i++) {
          const id = await postFeedback(app.url, `soak ${cycle}.${i}`);
          if (id !== null) acked.push(id);
        }
      })();
      const reader = (async () => {
        const paths = ['/api/indicators', '/api/facilities?bbox=106,29,107,30', '/api/health', '/api/feedback?limit=50'];
        for (let i = 0; !stop; i++)
          await fetch(app.url + paths[i % paths.length], { signal: AbortSignal.timeout(20_000) })
            .then((r) => r.arrayBuffer())
            .catch(() => undefined); // load only: a read cut by the stop (connection or body) is not a write
      })();
      await new Promise((r) => setTimeout(r, 300 + rand() * 2500));
      const how = cycle < firstStops.length ? firstStops[cycle] : STOPS[Math.floor(rand() * STOPS.length)];
      byStop[how] = (byStop[how] ?? 0) + 1;
      if (how === 'kill -9') app.signal('SIGKILL');
      else {
        const sig = how.startsWith('SIGINT') ? 'SIGINT' : 'SIGTERM';
        app.signal(sig);
        if (how.endsWith('twice')) {
          await new Promise((r) => setTimeout(r, rand() * 300));
          app.signal(sig);
        }
      }
      await app.exited(120_000);
      stop = true;
      await Promise.all([writer, reader]);
      if (how !== 'kill -9') expect(app.output(), `cycle ${cycle} (${how})`).toMatch(/Closed cleanly/);
    }
    const db = await openPglite(dir, { role: 'soak' });
    let present: number;
    try {
      const ids = new Set((await db.query<{ id: number }>('SELECT id FROM feedback')).rows.map((r) => r.id));
      present = acked.filter((id) => ids.has(id)).length;
    } finally {
      await db.close();
    }
    const sorted = [...startsMs].sort((a, b) => a - b);
    console.log(
      `SOAK seed ${seed}: ${CYCLES} cycles (${Object.entries(byStop)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}); ` +
        `writes acknowledged ${acked.length}, present ${present}; start-to-ready median ${(sorted[Math.floor(sorted.length / 2)] / 1000).toFixed(1)} s`,
    );
    expect(acked.length).toBeGreaterThan(0);
    expect(present).toBe(acked.length);
  }, 1_800_000);
});
