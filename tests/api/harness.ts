/**
 * API test harness: the same suite runs against embedded PGlite always, and against a
 * real PostgreSQL/PostGIS when TEST_DATABASE_URL is set (each test file in its own
 * schema, dropped afterwards). Nothing is mocked: a real app on a real port.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createScratchSchema, dropScratchSchema } from '../../server/db/scratch';
import pino from 'pino';
import { createHttpServer } from '../../server/http/server';
import { createApp } from '../../server/app';
import { openDatabase } from '../../server/db/open';
import type { Db } from '../../server/db/adapter';
import type { AppContext } from '../../server/context';
import { seedDemo } from '../../server/seed/demo';
import { seededTemplate, withPgliteTemplate } from '../support/seededTemplate';

export interface ApiTarget {
  name: 'pglite' | 'postgres';
}

/** The databases this run tests against. */
export function apiTargets(): ApiTarget[] {
  const t: ApiTarget[] = [{ name: 'pglite' }];
  if (process.env.TEST_DATABASE_URL) t.push({ name: 'postgres' });
  return t;
}

export interface TestApi {
  db: Db;
  url: string;
  get(path: string): Promise<Response>;
  json<T = any>(path: string): Promise<{ status: number; body: T; headers: Headers }>;
  close(): Promise<void>;
}

/** Creates a fresh, uniquely named schema (`prefix`_pid_time_n) on TEST_DATABASE_URL and returns its name. */
export function createTestSchema(prefix: string): Promise<string> {
  return createScratchSchema(process.env.TEST_DATABASE_URL!, prefix);
}

/** Drops a schema made by {@link createTestSchema}, with everything in it. */
export function dropTestSchema(schema: string): Promise<void> {
  return dropScratchSchema(process.env.TEST_DATABASE_URL!, schema);
}

/** A fresh, migrated database for `target`, optionally filled by `prepare`, served on a free port. */
export async function startTestApi(
  target: ApiTarget,
  prepare?: (db: Db) => Promise<void>,
  ctx: Partial<AppContext> = {},
): Promise<TestApi> {
  const schema = target.name === 'postgres' ? await createTestSchema('t') : undefined;
  const { db, postgis } = await openDatabase(
    target.name === 'postgres' ? { databaseUrl: process.env.TEST_DATABASE_URL, postgres: { schema, max: 4 } } : {},
  );
  if (prepare) await prepare(db);
  const app = createApp({
    db,
    postgisVersion: postgis,
    appVersion: 'test',
    tileFeatureCap: 5000,
    log: pino({ level: 'silent' }),
    ...ctx,
  });
  const server: Server = createHttpServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    db,
    url,
    get: (path) => fetch(url + path),
    async json(path) {
      const res = await fetch(url + path);
      return { status: res.status, body: await res.json(), headers: res.headers };
    },
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await db.close();
      if (schema) await dropTestSchema(schema);
    },
  };
}

/**
 * {@link startTestApi} on the demo dataset (`seedDemo`). On PGlite the database is loaded
 * from the run's demo-seeded dump (tests/support/seededTemplate.ts: the same seed, made
 * once per run) rather than seeded again here; on PostgreSQL it is seeded into the file's
 * schema.
 */
export async function startDemoApi(target: ApiTarget, ctx: Partial<AppContext> = {}): Promise<TestApi> {
  const template = target.name === 'pglite' ? await seededTemplate('demo') : undefined;
  return withPgliteTemplate(template, () => startTestApi(target, template ? undefined : async (db) => void (await seedDemo(db)), ctx));
}
