import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS, apiTargets, serve, startSecureApi, type SecureApi, type Session } from '../security/harness';
import { FEEDBACK_CATEGORIES, FEEDBACK_CATEGORY_IDS } from '../../core/feedback';

const IN_YUZHONG: [number, number] = [106.55, 29.55];
const IN_JIANGBEI: [number, number] = [106.65, 29.6];

for (const target of apiTargets()) {
  describe(`feedback on ${target.name}`, () => {
    let api: SecureApi;
    let editor: Session;
    let editor2: Session;
    const submit = (body: Record<string, unknown>) => api.request('POST', '/api/feedback', { body });
    const moderate = (id: number, body: Record<string, unknown>, s = editor) =>
      api.request('PATCH', `/api/feedback/${id}`, { session: s, body });
    const publicIds = async (query = '') =>
      (await api.request('GET', `/api/feedback${query}`)).body.features
        .map((f: { id: number }) => f.id)
        .sort((a: number, b: number) => a - b);

    beforeAll(async () => {
      api = await startSecureApi(target);
      editor = await api.login(USERS.editor.username, USERS.editor.password);
      editor2 = await api.login(USERS.editor2.username, USERS.editor2.password);
    });
    afterAll(async () => api?.close());

    it('serves the catalogue in Chinese and English', async () => {
      const r = await api.request('GET', '/api/feedback/catalogue');
      expect(r.status).toBe(200);
      expect(r.body.categories.map((c: { id: string }) => c.id)).toEqual([...FEEDBACK_CATEGORY_IDS]);
      for (const c of r.body.categories) {
        expect(c.name.zh).toMatch(/\p{Script=Han}/u);
        expect(c.name.en).toMatch(/^[A-Z]/);
      }
      expect(r.body.textMax).toBe(500);
      expect(FEEDBACK_CATEGORIES.find((c) => c.id === 'unsafe_crossing')!.name.zh).toBe('过街不安全');
    });

    it('takes a pin from anyone, stores the text as given, and keeps it out of public view until approved', async () => {
      const text = '<script>alert("hi")</script> 这里需要一个滑梯 🛝 & "quotes"';
      const r = await submit({ category: 'want_playground', text, coordinates: IN_YUZHONG, age_group: 'age_6_11' });
      expect(r.status).toBe(201);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(r.headers.get('location')).toBe(`/api/feedback/${r.body.id}`);
      expect(r.body.properties).toMatchObject({
        category: 'want_playground',
        text,
        status: 'pending',
        district_code: '500103',
        supporters: 1,
        age_group: 'age_6_11',
      });
      expect(r.body.properties.moderated_by).toBeUndefined();
      expect(r.body.geometry.coordinates).toEqual(IN_YUZHONG);
      expect(r.text).toContain('\\"hi\\"'); // JSON-escaped, never HTML
      expect(await publicIds()).not.toContain(r.body.id);
      expect((await api.request('GET', `/api/feedback/${r.body.id}`)).status).toBe(404);
      const queue = await api.request('GET', '/api/feedback?status=pending', { session: editor });
      expect(queue.status).toBe(200);
      expect(queue.body.features.map((f: { id: number }) => f.id)).toContain(r.body.id);
      expect(queue.body.counts.pending).toBeGreaterThanOrEqual(1);
      expect(queue.headers.get('cache-control')).toBe('private, no-store');
      const one = await api.request('GET', `/api/feedback/${r.body.id}`, { session: editor });
      expect(one.body.properties.text).toBe(text);
    });

    it('counts text in characters as PostgreSQL does (500 emoji fit, 501 do not)', async () => {
      expect((await submit({ category: 'other', text: '🙂'.repeat(500), coordinates: IN_YUZHONG })).status).toBe(201);
      const long = await submit({ category: 'other', text: '🙂'.repeat(501), coordinates: IN_YUZHONG });
      expect(long.status).toBe(400);
      expect(long.body.error.field).toBe('text');
    });

    it('validates every field and names it', async () => {
      const base = { category: 'other', text: 'ok', coordinates: IN_YUZHONG };
      const cases: [Record<string, unknown>, string][] = [
        [{ ...base, category: 'want_zoo' }, 'category'],
        [{ ...base, category: undefined }, 'category'],
        [{ ...base, coordinates: [181, 29.5] }, 'coordinates.0'],
        [{ ...base, coordinates: [106.5, 91] }, 'coordinates.1'],
        [{ ...base, coordinates: [106.5] }, 'coordinates'],
        [{ ...base, coordinates: [106.5, 29.5, 10] }, 'coordinates'],
        [{ ...base, coordinates: ['106.5', '29.5'] }, 'coordinates.0'],
        [{ ...base, coordinates: { lng: 106.5, lat: 29.5 } }, 'coordinates'],
        [{ ...base, text: 42 }, 'text'],
        [{ ...base, text: 'x'.repeat(501) }, 'text'],
        [{ ...base, age_group: 'toddler' }, 'age_group'],
        [{ ...base, facility_id: 99999 }, 'facility_id'],
        [{ ...base, facility_id: '1' }, 'facility_id'],
        [{ ...base, facility_id: 1.5 }, 'facility_id'],
        [{ ...base, status: 'approved' }, 'status'],
        [{ ...base, supporters: 1000 }, 'supporters'],
      ];
      for (const [body, field] of cases) {
        const r = await submit(body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.error.field, JSON.stringify(body)).toBe(field);
      }
      const withFacility = await submit({ ...base, category: 'facility_wrong', facility_id: 2 });
      expect(withFacility.status).toBe(201);
      expect(withFacility.body.properties.facility_id).toBe(2);
    });

    it('runs the whole flow: submit → queue → approve → public → merge duplicate → reply → resolve', async () => {
      const a = (await submit({ category: 'unsafe_crossing', text: '路口没有红绿灯', coordinates: IN_JIANGBEI })).body;
      const b = (await submit({ category: 'unsafe_crossing', text: '这个路口很危险', coordinates: [106.6501, 29.6001] })).body;
      expect(a.properties.district_code).toBe('500105');

      const approved = await moderate(a.id, { action: 'approve' });
      expect(approved.status).toBe(200);
      expect(approved.body.properties).toMatchObject({ status: 'approved', moderated_by: 'editor1' });
      expect(await publicIds()).toContain(a.id);
      const pub = await api.request('GET', `/api/feedback/${a.id}`);
      expect(pub.status).toBe(200);
      expect(pub.body.properties.moderated_by).toBeUndefined();
      expect(pub.headers.get('vary')).toMatch(/Cookie/);

      // the second pin says the same thing: merge it into the first
      const merged = await moderate(b.id, { action: 'merge', duplicate_of: a.id });
      expect(merged.status).toBe(200);
      expect(merged.body.properties).toMatchObject({ status: 'duplicate', duplicate_of: a.id });
      const survivor = (await api.request('GET', `/api/feedback/${a.id}`)).body;
      expect(survivor.properties.supporters).toBe(2);
      expect(await publicIds()).not.toContain(b.id);

      // a third one merged into the second lands on the first (no chains)
      const c = (await submit({ category: 'unsafe_crossing', text: '同上', coordinates: IN_JIANGBEI })).body;
      const intoDuplicate = await moderate(c.id, { action: 'merge', duplicate_of: b.id });
      expect(intoDuplicate.status).toBe(409);
      expect((await moderate(c.id, { action: 'merge', duplicate_of: a.id })).status).toBe(200);
      expect((await api.request('GET', `/api/feedback/${a.id}`)).body.properties.supporters).toBe(3);

      // reply, then resolve with a reply; the public sees both
      expect((await moderate(a.id, { reply: '已转交区交通部门' })).body.properties.reply).toBe('已转交区交通部门');
      const resolved = await moderate(a.id, { action: 'resolve', reply: '已安装信号灯 / Signals installed' });
      expect(resolved.body.properties.status).toBe('resolved');
      expect(resolved.body.properties.resolved_at).toMatch(/^\d{4}-\d\d-\d\dT/);
      const seen = (await api.request('GET', `/api/feedback/${a.id}`)).body.properties;
      expect(seen).toMatchObject({ status: 'resolved', reply: '已安装信号灯 / Signals installed', supporters: 3 });
      expect(await publicIds('?status=resolved')).toContain(a.id);
      // reopen, and resolve again
      expect((await moderate(a.id, { action: 'reopen' })).body.properties).toMatchObject({ status: 'approved', resolved_at: null });
      expect((await moderate(a.id, { action: 'resolve' })).body.properties.status).toBe('resolved');
    });

    it('refuses moves the states do not allow, with the pin as it is', async () => {
      const p = (await submit({ category: 'other', text: 'x', coordinates: IN_YUZHONG })).body;
      const resolvePending = await moderate(p.id, { action: 'resolve' });
      expect(resolvePending.status).toBe(409);
      expect(resolvePending.body.error.details.current.properties.status).toBe('pending');
      expect((await moderate(p.id, { action: 'reopen' })).status).toBe(409);
      expect((await moderate(p.id, { action: 'merge', duplicate_of: p.id })).body.error.field).toBe('duplicate_of');
      expect((await moderate(p.id, { action: 'merge' })).body.error.field).toBe('duplicate_of');
      expect((await moderate(p.id, { action: 'merge', duplicate_of: 999999 })).body.error.field).toBe('duplicate_of');
      expect((await moderate(p.id, { action: 'approve', duplicate_of: 1 })).body.error.field).toBe('duplicate_of');
      expect((await moderate(p.id, {})).status).toBe(400);
      expect((await moderate(p.id, { action: 'publish' })).body.error.field).toBe('action');
      expect((await moderate(999999, { action: 'approve' })).status).toBe(404);
      expect((await moderate(p.id, { action: 'reject' })).body.properties.status).toBe('rejected');
      const r = (await submit({ category: 'other', text: 'y', coordinates: IN_YUZHONG })).body;
      expect((await moderate(r.id, { action: 'merge', duplicate_of: p.id })).status).toBe(409); // into a rejected pin
    });

    it('lets exactly one of two moderators win the same move', async () => {
      const p = (await submit({ category: 'other', text: 'race', coordinates: IN_YUZHONG })).body;
      const [x, y] = await Promise.all([moderate(p.id, { action: 'approve' }, editor), moderate(p.id, { action: 'approve' }, editor2)]);
      expect([x.status, y.status].sort()).toEqual([200, 409]);
    });

    it('shows the public approved pins only, bounded by bbox and limit', async () => {
      const inside = (await submit({ category: 'want_facility', text: '需要母婴室', coordinates: [106.52, 29.53] })).body;
      const outside = (await submit({ category: 'want_facility', text: '需要图书角', coordinates: [106.68, 29.61] })).body;
      await moderate(inside.id, { action: 'approve' });
      await moderate(outside.id, { action: 'approve' });
      const bbox = await publicIds('?bbox=106.5,29.52,106.6,29.58');
      expect(bbox).toContain(inside.id);
      expect(bbox).not.toContain(outside.id);
      const byDistrict = await publicIds('?district=500105');
      expect(byDistrict).toContain(outside.id);
      expect(byDistrict).not.toContain(inside.id);
      const one = await api.request('GET', '/api/feedback?limit=1');
      expect(one.body.features).toHaveLength(1);
      expect(one.body.truncated).toBe(true);
      expect(one.body.counts).toBeUndefined();
      expect(one.headers.get('cache-control')).toBe('public, max-age=30');
      for (const f of (await api.request('GET', '/api/feedback')).body.features) {
        expect(['approved', 'resolved']).toContain(f.properties.status);
        expect(f.properties.moderated_by).toBeUndefined();
      }
      expect((await api.request('GET', '/api/feedback?status=pending')).status).toBe(401);
      expect(
        (await api.request('GET', '/api/feedback?category=want_facility')).body.features.every(
          (f: any) => f.properties.category === 'want_facility',
        ),
      ).toBe(true);
      for (const [q, field] of [
        ['?bbox=1,2,3', 'bbox'],
        ['?limit=1001', 'limit'],
        ['?status=open', 'status'],
        ['?category=zoo', 'category'],
        ['?before=abc', 'before'],
      ]) {
        const r = await api.request('GET', `/api/feedback${q}`);
        expect(r.status, q).toBe(400);
        expect(r.body.error.field).toBe(field);
      }
      // paging through the queue, newest first
      const page1 = (await api.request('GET', '/api/feedback?limit=2', { session: editor })).body.features.map((f: any) => f.id);
      const page2 = (await api.request('GET', `/api/feedback?limit=2&before=${page1[1]}`, { session: editor })).body.features.map(
        (f: any) => f.id,
      );
      expect(page1[0]).toBeGreaterThan(page1[1]);
      expect(page2[0]).toBeLessThan(page1[1]);
    });

    it('serves the layer as a GeoJSON download for planners', async () => {
      const r = await api.request('GET', '/api/feedback?status=approved&download=1');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-disposition')).toBe('attachment; filename="feedback-approved.geojson"');
      expect(r.body.type).toBe('FeatureCollection');
      expect(r.body.features.length).toBeGreaterThan(0);
    });

    it('limits pins per client with 429 and Retry-After, and refuses huge bodies', async () => {
      const limited = await serve(api.db, { security: { rateLimits: { feedback: 3 } } });
      try {
        await api.db.query('DELETE FROM rate_limits');
        const body = { category: 'other', text: 'spam?', coordinates: IN_YUZHONG };
        for (let i = 0; i < 2; i++) expect((await limited.request('POST', '/api/feedback', { body })).status).toBe(201);
        // a bad submission counts too
        expect((await limited.request('POST', '/api/feedback', { body: { ...body, category: 'x' } })).status).toBe(400);
        const r = await limited.request('POST', '/api/feedback', { body });
        expect(r.status).toBe(429);
        expect(r.body.error.code).toBe('rate_limited');
        const retry = Number(r.headers.get('retry-after'));
        expect(retry).toBeGreaterThan(590);
        expect(retry).toBeLessThanOrEqual(600);
        expect(r.headers.get('ratelimit-policy')).toBe('3;w=600');
        // reads are not limited
        expect((await limited.request('GET', '/api/feedback')).status).toBe(200);
        const huge = await limited.request('POST', '/api/feedback', { raw: JSON.stringify({ ...body, text: 'x'.repeat(20_000) }) });
        expect(huge.status).toBe(413);
      } finally {
        await limited.close();
        await api.db.query('DELETE FROM rate_limits');
      }
    });

    it('lets only editors moderate', async () => {
      const p = (await submit({ category: 'other', text: 'who?', coordinates: IN_YUZHONG })).body;
      expect((await api.request('PATCH', `/api/feedback/${p.id}`, { body: { action: 'approve' } })).status).toBe(401);
      expect(
        (await api.request('PATCH', `/api/feedback/${p.id}`, { session: editor, csrf: false, body: { action: 'approve' } })).status,
      ).toBe(403);
      const admin = await api.login(USERS.admin.username, USERS.admin.password);
      expect((await api.request('PATCH', `/api/feedback/${p.id}`, { session: admin, body: { action: 'approve' } })).status).toBe(200);
    });
  });
}
