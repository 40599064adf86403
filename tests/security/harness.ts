/**
 * Harness for the access-control, feedback and editing suites: like tests/api/harness.ts
 * (PGlite always, PostgreSQL when TEST_DATABASE_URL is set, one schema per database),
 * plus users of every role, security settings per suite, a request helper that carries
 * a session cookie and CSRF token, and a way to serve a second app on the same database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config';
import type { ReadRouter } from '../../server/db/replicas';
import { closeAnalysisPool, type AnalysisOptions } from '../../server/analysis/pool';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino, { type Logger } from 'pino';
import { createHttpServer } from '../../server/http/server';
import { createApp } from '../../server/app';
import { openDatabase } from '../../server/db/open';
import type { Db } from '../../server/db/adapter';
import type { SecurityOverrides } from '../../server/http/security';
import { createUser } from '../../server/features/users/sql';
import { loadFixture } from '../api/fixture';
import { createTestSchema, dropTestSchema, type ApiTarget } from '../api/harness';

export { apiTargets } from '../api/harness';

export const USERS = {
  admin: { username: 'admin1', password: 'admin-password-0001', role: 'admin' },
  editor: { username: 'editor1', password: 'editor-password-001', role: 'editor' },
  editor2: { username: 'editor2', password: 'editor-password-002', role: 'editor' },
  disabled: { username: 'gone1', password: 'disabled-password-1', role: 'editor' },
} as const;

/** Test settings: generous limits so only the suites about limits ever meet them. */
export const TEST_SECURITY: SecurityOverrides = {
  rateLimits: { feedback: 10_000, login: 1_000, writes: 100_000 },
};

/** Fixture districts and facilities, the users above (one of them disabled). */
export async function prepareSecure(db: Db): Promise<void> {
  await loadFixture(db);
  // The fixture inserts explicit ids; move the identity past them for new facilities.
  await db.query("SELECT setval(pg_get_serial_sequence('facilities', 'id'), (SELECT max(id) FROM facilities))");
  for (const u of Object.values(USERS)) await createUser(db, { username: u.username, password: u.password, role: u.role });
  await db.query('UPDATE users SET disabled = true WHERE username = $1', [USERS.disabled.username]);
}

export interface Session {
  cookie: string;
  csrfToken: string;
  user: { id: number; username: string; role: string };
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (malformed JSON, huge bodies). */
  raw?: string;
  session?: Session;
  /** With a session: send its CSRF token (default), none (false) or this string. */
  csrf?: boolean | string;
  headers?: Record<string, string>;
}

export interface Client {
  url: string;
  request<T = any>(method: string, path: string, o?: RequestOptions): Promise<Reply<T>>;
  login(username: string, password: string): Promise<Session>;
}

export function client(url: string): Client {
  async function request<T>(method: string, path: string, o: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...o.headers };
    if (o.body !== undefined || o.raw !== undefined) headers['content-type'] ??= 'application/json';
    if (o.session) {
      headers.cookie = o.session.cookie;
      if (o.csrf !== false) headers['x-csrf-token'] = typeof o.csrf === 'string' ? o.csrf : o.session.csrfToken;
    }
    const res = await fetch(url + path, {
      method,
      headers,
      body: o.raw ?? (o.body !== undefined ? JSON.stringify(o.body) : undefined),
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, headers: res.headers, text };
  }
  return {
    url,
    request,
    async login(username, password) {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      const body = await res.json();
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(body)}`);
      const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('atlas_session='));
      if (!setCookie) throw new Error('no session cookie');
      return { cookie: setCookie.split(';')[0], csrfToken: body.csrfToken, user: body.user };
    },
  };
}

export interface TestDatabase {
  db: Db;
  target: ApiTarget;
  /** The Postgres schema (undefined on PGlite). */
  schema?: string;
  /** Another connection pool on the same database and schema (Postgres only). */
  openAnother(): Promise<Db>;
  close(): Promise<void>;
}

export async function openTestDatabase(target: ApiTarget, prepare?: (db: Db) => Promise<void>): Promise<TestDatabase> {
  const schema = target.name === 'postgres' ? await createTestSchema('s') : undefined;
  const open = () =>
    openDatabase(target.name === 'postgres' ? { databaseUrl: process.env.TEST_DATABASE_URL, postgres: { schema, max: 6 } } : {});
  const { db } = await open();
  if (prepare) await prepare(db);
  const others: Db[] = [];
  return {
    db,
    target,
    schema,
    async openAnother() {
      if (!schema) throw new Error('a second connection to an in-memory PGlite is not possible');
      const o = (await open()).db;
      others.push(o);
      return o;
    },
    async close() {
      for (const o of others) await o.close();
      await db.close();
      if (schema) await dropTestSchema(schema);
    },
  };
}

export interface Served extends Client {
  close(): Promise<void>;
}

/** An app on `db`, on a free loopback port. */
export async function serve(
  db: Db,
  o: { security?: SecurityOverrides; log?: Logger; analysis?: Partial<AnalysisOptions>; reads?: ReadRouter } = {},
): Promise<Served> {
  const app = createApp({
    db,
    postgisVersion: '3',
    appVersion: 'test',
    tileFeatureCap: 5000,
    log: o.log ?? pino({ level: 'silent' }),
    security: o.security ?? TEST_SECURITY,
    ...(o.analysis ? { analysis: o.analysis } : {}),
    ...(o.reads ? { reads: o.reads } : {}),
  });
  const server: Server = createHttpServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...client(url),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export interface SecureApi extends Served {
  db: Db;
  database: TestDatabase;
}

/** A fresh database with {@link prepareSecure}'s data, served by one app. */
export async function startSecureApi(
  target: ApiTarget,
  o: { security?: SecurityOverrides; log?: Logger; prepare?: (db: Db) => Promise<void>; analysis?: Partial<AnalysisOptions> } = {},
): Promise<SecureApi> {
  const database = await openTestDatabase(target, o.prepare ?? prepareSecure);
  const app = await serve(database.db, o);
  return {
    ...app,
    db: database.db,
    database,
    async close() {
      await app.close();
      // as server/main.ts does at shutdown: the pool's threads and their caches go with the app
      await closeAnalysisPool(database.db);
      await database.close();
    },
  };
}

/** A checksum of every row of the tables a bad request must not change. */
export async function tablesChecksum(
  db: Db,
  tables = ['facilities', 'facility_history', 'feedback', 'users'],
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    // t is from the fixed list above, never from input.
    const r = await db.query<{ n: number; h: string | null }>(
      `SELECT count(*)::int AS n, md5(string_agg(md5(x::text), '' ORDER BY md5(x::text))) AS h FROM ${t} x`,
    );
    out[t] = `${r.rows[0].n}:${r.rows[0].h}`;
  }
  return out;
}

/**
 * An app server in a child process, started the way production starts it (`startServer`) on
 * TEST_DATABASE_URL in `schema`, with `config` on top (rate limits…); resolves once it listens.
 */
export async function startAppProcess(
  schema: string,
  config: Record<string, string | number> = {},
): Promise<{ child: ChildProcess; app: Client }> {
  const code = `
    const { startServer } = await import(${JSON.stringify(path.join(PROJECT_ROOT, 'server', 'main.ts'))});
    const s = await startServer({
      schema: ${JSON.stringify(schema)},
      config: { DATABASE_URL: process.env.TEST_DATABASE_URL, PORT: 0, HOST: '127.0.0.1', SEED_DEMO: 'never', LOG_LEVEL: 'silent',
                ...${JSON.stringify(config)} },
    });
    console.log(JSON.stringify({ url: s.url }));
    process.on('SIGTERM', async () => { await s.close(); process.exit(0); });
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`child did not start: ${err}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/\{"url":"([^"]+)"\}/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (c) => reject(new Error(`child exited ${c}: ${err}`)));
  });
  return { child, app: client(url) };
}

/** Stops a child from {@link startAppProcess} (SIGTERM: it drains and closes) unless it has exited. */
export async function stopAppProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
