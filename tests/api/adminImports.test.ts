/**
 * Admin imports over HTTP (server/features/imports/routes.ts): who may, the dry-run report
 * with rejections and reasons, confirm, progress, the "data changed" signal — on PGlite
 * and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { USERS, apiTargets, startSecureApi, type SecureApi, type Session } from '../security/harness';
import { onDataChanged, type DataChange } from '../../server/db/dataChanged';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'import');
const upload = (api: SecureApi, name: string, query: string, o: { session?: Session; headers?: Record<string, string> } = {}) =>
  fetch(`${api.url}/api/admin/imports?name=${encodeURIComponent(name)}${query}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      ...(o.session ? { cookie: o.session.cookie, 'x-csrf-token': o.session.csrfToken } : {}),
      ...o.headers,
    },
    body: readFileSync(path.join(FIXTURES, name)),
  });

async function waitJob(api: SecureApi, id: string, s: Session) {
  for (let i = 0; i < 600; i++) {
    const r = await api.request('GET', `/api/admin/imports/${id}`, { session: s });
    expect(r.status).toBe(200);
    if (r.body.status === 'done' || r.body.status === 'failed') return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('the import job did not finish');
}

for (const target of apiTargets()) {
  describe(`admin imports on ${target.name}`, () => {
    let api: SecureApi;
    let admin: Session;
    let editor: Session;
    const changes: DataChange[] = [];
    let off: () => void;

    beforeAll(async () => {
      api = await startSecureApi(target);
      admin = await api.login(USERS.admin.username, USERS.admin.password);
      editor = await api.login(USERS.editor.username, USERS.editor.password);
      off = onDataChanged((db, c) => {
        if (db === api.db) changes.push(c);
      });
    });
    afterAll(async () => {
      off?.();
      await api?.close();
    });

    it('refuses anonymous users, editors, a made-up token, and a missing CSRF header', async () => {
      expect((await upload(api, 'register-bad.csv', '&dryRun=true')).status).toBe(401);
      const e = await upload(api, 'register-bad.csv', '&dryRun=true', { session: editor });
      expect(e.status).toBe(403);
      expect((await e.json()).error.message).toMatch(/admin/);
      // this app was started without a hand-off token: no bearer token is ever right
      expect((await upload(api, 'register-bad.csv', '&dryRun=true', { headers: { authorization: 'Bearer x' } })).status).toBe(401);
      const noCsrf = await fetch(`${api.url}/api/admin/imports?name=register-bad.csv`, {
        method: 'POST',
        headers: { cookie: admin.cookie, 'content-type': 'application/octet-stream' },
        body: 'a,b\n1,2\n',
      });
      expect(noCsrf.status).toBe(403);
      // the rest of the API still takes JSON only
      const form = await api.request('POST', '/api/feedback', {
        raw: 'a=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(415);
    });

    it('names the bad field of a request', async () => {
      const r = await upload(api, 'register-bad.csv', '&crs=mars', { session: admin });
      expect(r.status).toBe(400);
      expect((await r.json()).error.field).toBe('crs');
      const n = await fetch(`${api.url}/api/admin/imports?name=../x.csv`, {
        method: 'POST',
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/octet-stream' },
        body: 'x',
      });
      expect(n.status).toBe(400);
      expect((await n.json()).error.field).toBe('name');
    });

    it('dry run: reports rows and rejections with reasons, writes nothing; confirm imports the same file', async () => {
      const before = (await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM facilities')).rows[0].n;
      const r = await upload(api, 'register-bad.csv', '&dryRun=true&extentCheck=false', { session: admin });
      expect(r.status).toBe(202);
      const dry = await waitJob(api, (await r.json()).id, admin);
      expect(dry.status).toBe('done');
      expect(dry.summary.dryRun).toBe(true);
      expect(dry.summary.read).toBeGreaterThan(1);
      expect(dry.summary.rejected).toBeGreaterThan(0);
      expect(dry.summary.rejections[0].reason.length).toBeGreaterThan(3);
      expect(dry.confirmableUntil).not.toBeNull();
      expect((await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM facilities')).rows[0].n).toBe(before);
      expect(changes.length).toBe(0);

      const c = await api.request('POST', `/api/admin/imports/${dry.id}/confirm`, { session: admin });
      expect(c.status).toBe(202);
      const done = await waitJob(api, c.body.id, admin);
      expect(done.status).toBe('done');
      expect(done.summary.dryRun).toBe(false);
      expect(done.summary.inserted).toBe(dry.summary.read - dry.summary.rejected);
      expect(done.summary.rejected).toBe(dry.summary.rejected);
      const after = (await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM facilities')).rows[0].n;
      expect(after).toBe(before + done.summary.inserted);
      const run = await api.db.query<{ status: string }>('SELECT status FROM import_runs WHERE id = $1', [done.summary.runId]);
      expect(run.rows[0].status).toBe('done');
      expect(changes).toContainEqual(expect.objectContaining({ reason: 'import', runId: done.summary.runId }));
      // a dry run is confirmed once
      expect((await api.request('POST', `/api/admin/imports/${dry.id}/confirm`, { session: admin })).status).toBe(404);
      const list = await api.request('GET', '/api/admin/imports', { session: admin });
      expect(list.body.jobs.map((j: { id: string }) => j.id)).toContain(done.id);
    });

    it('a network import is seen by the API at once', async () => {
      const r = await upload(api, 'tiny.osm', '&snapshot=false', { session: admin });
      expect(r.status).toBe(202);
      const job = await waitJob(api, (await r.json()).id, admin);
      expect(job.status).toBe('done');
      expect(job.summary.network.edges.inserted).toBeGreaterThan(0);
      const n = await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM network_edges');
      expect(n.rows[0].n).toBe(job.summary.network.edges.inserted);
    });
  });
}
