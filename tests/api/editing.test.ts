import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS, apiTargets, startSecureApi, type SecureApi, type Session } from '../security/harness';

const NEW = {
  category: 'kindergarten',
  name_zh: '新建幼儿园',
  name_en: 'New Kindergarten',
  capacity: 180,
  age_min_years: 3,
  age_max_years: 6,
  ownership: 'public',
  inclusive: true,
  amenities: { toilets: true, drinking_water: true },
  phone: '023-6000 0000',
  coordinates: [106.57, 29.56],
};

for (const target of apiTargets()) {
  describe(`facility editing on ${target.name}`, () => {
    let api: SecureApi;
    let editor: Session;
    let editor2: Session;
    const create = (body: Record<string, unknown>, s = editor) => api.request('POST', '/api/facilities', { session: s, body });
    const patch = (id: number, body: Record<string, unknown>, s = editor) =>
      api.request('PATCH', `/api/facilities/${id}`, { session: s, body });
    const history = async (id: number) => (await api.request('GET', `/api/facilities/${id}/history`, { session: editor })).body;

    beforeAll(async () => {
      api = await startSecureApi(target);
      editor = await api.login(USERS.editor.username, USERS.editor.password);
      editor2 = await api.login(USERS.editor2.username, USERS.editor2.password);
    });
    afterAll(async () => api?.close());

    it('creates a facility at version 1, in the district its point lies in, with a history row', async () => {
      const r = await create(NEW);
      expect(r.status).toBe(201);
      expect(r.headers.get('location')).toBe(`/api/facilities/${r.body.id}`);
      expect(r.body.geometry.coordinates).toEqual([106.57, 29.56]);
      expect(r.body.properties).toMatchObject({
        category: 'kindergarten',
        name_zh: '新建幼儿园',
        district_code: '500103',
        district_name_zh: '渝中区',
        version: 1,
        status: 'active',
        source: 'editor',
        capacity: 180,
        amenities: { toilets: true, drinking_water: true },
      });
      expect(r.body.properties.source_id).toMatch(/^[0-9a-f-]{36}$/);
      const h = await history(r.body.id);
      expect(h.versions).toHaveLength(1);
      expect(h.versions[0]).toMatchObject({ version: 1, action: 'create', changed_by: 'editor1' });
      expect(h.versions[0].data).toMatchObject({ name_zh: '新建幼儿园', lng: 106.57, lat: 29.56 });
      expect(Date.now() - Date.parse(h.versions[0].changed_at)).toBeLessThan(60_000);
      // the public read API sees it at once
      expect((await api.request('GET', `/api/facilities/${r.body.id}`)).body.properties.version).toBe(1);
      // outside every district: no district
      expect((await create({ ...NEW, coordinates: [108.0, 31.0] })).body.properties.district_code).toBeNull();
    });

    it('validates against the catalogue and names the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ ...NEW, category: 'zoo' }, 'category'],
        [{ ...NEW, category: undefined }, 'category'],
        [{ ...NEW, name_zh: '' }, 'name_zh'],
        [{ ...NEW, name_zh: '   ' }, 'name_zh'],
        [{ ...NEW, name_zh: 'x'.repeat(201) }, 'name_zh'],
        [{ ...NEW, capacity: -1 }, 'capacity'],
        [{ ...NEW, capacity: 2.5 }, 'capacity'],
        [{ ...NEW, capacity: '10' }, 'capacity'],
        [{ ...NEW, coordinates: [200, 29.5] }, 'coordinates.0'],
        [{ ...NEW, coordinates: [106.5, -95] }, 'coordinates.1'],
        [{ ...NEW, coordinates: undefined }, 'coordinates'],
        [{ ...NEW, age_min_years: 6, age_max_years: 3 }, 'age_max_years'],
        [{ ...NEW, ownership: 'state' }, 'ownership'],
        [{ ...NEW, phone: '<b>call</b>' }, 'phone'],
        [{ ...NEW, amenities: { wifi: true } }, 'amenities.wifi'],
        [{ ...NEW, status: 'retired' }, 'status'],
        [{ ...NEW, version: 3 }, 'version'],
        [{ ...NEW, source: 'osm' }, 'source'],
        [{ ...NEW, district_code: '500105' }, 'district_code'],
      ];
      for (const [body, field] of cases) {
        const r = await create(body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.error.field, JSON.stringify(body)).toBe(field);
      }
    });

    it('updates with the version the editor saw; a stale version is a 409 with the current facility', async () => {
      const f = (await create(NEW)).body;
      const ok = await patch(f.id, { version: 1, name_zh: '新建幼儿园（改）', capacity: 200 });
      expect(ok.status).toBe(200);
      expect(ok.body.properties).toMatchObject({ version: 2, name_zh: '新建幼儿园（改）', capacity: 200, name_en: 'New Kindergarten' });
      const stale = await patch(f.id, { version: 1, name_zh: '别人的修改' }, editor2);
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('conflict');
      expect(stale.body.error.details.current.properties).toMatchObject({ version: 2, name_zh: '新建幼儿园（改）' });
      // moving it across the border changes its district
      const moved = await patch(f.id, { version: 2, coordinates: [106.65, 29.6] });
      expect(moved.body.properties).toMatchObject({ version: 3, district_code: '500105' });
      // clearing an optional field
      expect((await patch(f.id, { version: 3, name_en: null })).body.properties.name_en).toBeNull();
      for (const [body, field] of [
        [{ name_zh: 'x' }, 'version'],
        [{ version: 4 }, 'body'],
        [{ version: '4', name_zh: 'x' }, 'version'],
        [{ version: 4, age_min_years: 7 }, 'age_max_years'], // 7 > the stored maximum 6
        [{ version: 4, nmae_zh: 'typo' }, 'nmae_zh'],
      ] as const) {
        const r = await patch(f.id, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.error.field).toBe(field);
      }
      expect((await patch(999999, { version: 1, name_zh: 'x' })).status).toBe(404);
    });

    it('lets exactly one of several editors who saw the same version win', async () => {
      const f = (await create(NEW)).body;
      const rounds = 3;
      for (let round = 0; round < rounds; round++) {
        const version = round + 1;
        const results = await Promise.all(
          [editor, editor2, editor, editor2].map((s, i) => patch(f.id, { version, name_zh: `round ${round} editor ${i}` }, s)),
        );
        const statuses = results.map((r) => r.status).sort();
        expect(statuses).toEqual([200, 409, 409, 409]);
        const winner = results.find((r) => r.status === 200)!;
        for (const r of results.filter((x) => x.status === 409)) {
          expect(r.body.error.details.current.properties.version).toBe(version + 1);
        }
        expect((await api.request('GET', `/api/facilities/${f.id}`)).body.properties.name_zh).toBe(winner.body.properties.name_zh);
      }
      const h = await history(f.id);
      expect(h.versions.map((v: { version: number }) => v.version)).toEqual([4, 3, 2, 1]);
    });

    it('retires instead of deleting; retiring twice changes nothing', async () => {
      const f = (await create(NEW)).body;
      const stale = await api.request('DELETE', `/api/facilities/${f.id}?version=7`, { session: editor });
      expect(stale.status).toBe(409);
      const r = await api.request('DELETE', `/api/facilities/${f.id}?version=1`, { session: editor });
      expect(r.status).toBe(200);
      expect(r.body.properties).toMatchObject({ status: 'retired', version: 2 });
      // issue 12 §4: a retired facility is an editor's business; to the public it is gone
      expect((await api.request('GET', `/api/facilities/${f.id}`, { session: editor })).body.properties.status).toBe('retired');
      const anonymous = await api.request('GET', `/api/facilities/${f.id}`);
      expect(anonymous.status).toBe(404);
      expect(anonymous.body.error.code).toBe('not_found');
      const list = await api.request('GET', '/api/facilities?bbox=106.5,29.52,106.6,29.58&limit=1000');
      expect(list.body.features.map((x: { id: number }) => x.id)).not.toContain(f.id);
      const again = await api.request('DELETE', `/api/facilities/${f.id}`, { session: editor });
      expect(again.status).toBe(200);
      expect(again.body.properties.version).toBe(2);
      const row = (
        await api.db.query<{ n: number; retired: boolean }>(
          'SELECT count(*)::int AS n, bool_and(retired_at IS NOT NULL) AS retired FROM facilities WHERE id = $1',
          [f.id],
        )
      ).rows[0];
      expect(row).toEqual({ n: 1, retired: true });
      expect((await history(f.id)).versions[0]).toMatchObject({ version: 2, action: 'retire', changed_by: 'editor1' });
      // PATCH can bring it back
      const back = await patch(f.id, { version: 2, status: 'active' });
      expect(back.body.properties).toMatchObject({ status: 'active', version: 3 });
      expect((await api.db.query('SELECT retired_at FROM facilities WHERE id = $1', [f.id])).rows[0]).toEqual({ retired_at: null });
      expect((await api.request('DELETE', '/api/facilities/999999', { session: editor })).status).toBe(404);
      expect((await api.request('DELETE', `/api/facilities/${f.id}?version=x`, { session: editor })).body.error.field).toBe('version');
    });

    it('keeps the seeded version as a baseline on the first edit, and reverts to it', async () => {
      // Fixture facility 1 came without history (as the demo seed does).
      expect((await history(1)).versions).toEqual([]);
      const edited = await patch(1, { version: 1, name_zh: '大坪第一幼儿园（新址）', coordinates: [106.56, 29.551] });
      expect(edited.status).toBe(200);
      const h = await history(1);
      expect(h.current_version).toBe(2);
      expect(h.versions.map((v: { version: number; action: string; changed_by: string }) => [v.version, v.action, v.changed_by])).toEqual([
        [2, 'update', 'editor1'],
        [1, 'import', 'import:test'],
      ]);
      expect(h.versions[1].data).toMatchObject({ name_zh: '大坪第一幼儿园', lng: 106.55, lat: 29.55, capacity: 270 });

      const reverted = await api.request('POST', '/api/facilities/1/revert', { session: editor2, body: { toVersion: 1, version: 2 } });
      expect(reverted.status).toBe(200);
      expect(reverted.body.properties).toMatchObject({ version: 3, name_zh: '大坪第一幼儿园', capacity: 270, district_code: '500103' });
      expect(reverted.body.geometry.coordinates).toEqual([106.55, 29.55]);
      expect((await history(1)).versions[0]).toMatchObject({ version: 3, action: 'revert', changed_by: 'editor2' });
    });

    it('reverts a retirement, and refuses impossible reverts', async () => {
      const f = (await create(NEW)).body;
      await api.request('DELETE', `/api/facilities/${f.id}`, { session: editor });
      const r = await api.request('POST', `/api/facilities/${f.id}/revert`, { session: editor, body: { toVersion: 1 } });
      expect(r.body.properties).toMatchObject({ status: 'active', version: 3 });
      const cases: [Record<string, unknown>, number, string | undefined][] = [
        [{ toVersion: 3 }, 400, 'toVersion'],
        [{ toVersion: 9 }, 400, 'toVersion'],
        [{ toVersion: 0 }, 400, 'toVersion'],
        [{ toVersion: '1' }, 400, 'toVersion'],
        [{}, 400, 'toVersion'],
        [{ toVersion: 1, version: 2 }, 409, undefined],
      ];
      for (const [body, status, field] of cases) {
        const x = await api.request('POST', `/api/facilities/${f.id}/revert`, { session: editor, body });
        expect(x.status, JSON.stringify(body)).toBe(status);
        if (field) expect(x.body.error.field).toBe(field);
      }
      // a version missing from the history (nothing before the table existed)
      await api.db.query('DELETE FROM facility_history WHERE facility_id = $1 AND version = 2', [f.id]);
      expect((await api.request('POST', `/api/facilities/${f.id}/revert`, { session: editor, body: { toVersion: 2 } })).status).toBe(404);
      expect((await api.request('POST', '/api/facilities/999999/revert', { session: editor, body: { toVersion: 1 } })).status).toBe(404);
    });

    it('keeps history for editors', async () => {
      expect((await api.request('GET', '/api/facilities/1/history')).status).toBe(401);
      expect((await api.request('GET', '/api/facilities/999999/history', { session: editor })).status).toBe(404);
      expect((await api.request('GET', '/api/facilities/1/history?limit=1', { session: editor })).body.versions).toHaveLength(1);
    });
  });
}
