/**
 * The routes API on both databases (PGlite always, PostgreSQL with TEST_DATABASE_URL): the
 * hand-built fixtures of core/routing/fixtures written into network_edges/network_nodes as
 * the importer would (tests/routes/fixture.ts), schools and population cells; a real app on
 * a real port, an editor with a session for the writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS, apiTargets, prepareSecure, startSecureApi, type SecureApi, type Session } from '../security/harness';
import { invalidateRoutingGraph, setRoutingRecheckMs } from '../../server/features/routes/index';
import { loadRoutingFixtures, placedPoint, type SchoolIds } from './fixture';

const ll = (p: [number, number]) => p.map((v) => v.toFixed(7)).join(',');

describe.each(apiTargets())('routes API on $name', (target) => {
  let api: SecureApi;
  let editor: Session;
  let SCHOOL_IDS: SchoolIds;
  beforeAll(async () => {
    api = await startSecureApi(target, {
      prepare: async (db) => {
        await prepareSecure(db);
        SCHOOL_IDS = await loadRoutingFixtures(db);
      },
    });
    editor = await api.login(USERS.editor.username, USERS.editor.password);
  });
  afterAll(() => api?.close());

  const home = placedPoint('signalised-crossing-detour', 'home');
  const school = placedPoint('signalised-crossing-detour', 'school');

  describe('GET /api/route', () => {
    it('answers the safest route with its facts, the shortest and the detour in words', async () => {
      const r = await api.request('GET', `/api/route?from=${ll(home)}&to=${ll(school)}&profile=child`);
      expect(r.status).toBe(200);
      expect(r.body.profile).toBe('child');
      expect(r.body.route.lengthM).toBeCloseTo(800, 0);
      expect(r.body.route.crossings).toMatchObject({ total: 1, signals: 1, majorUnsignalised: 0 });
      expect(r.body.route.geometry.type).toBe('LineString');
      expect(r.body.shortest.lengthM).toBeCloseTo(600, 0);
      expect(r.body.comparison.text.zh).toBe('安全路线多走 200 米（约 3 分钟），避开 1 处无信号灯的主干道过街。');
      expect(r.body.parameters).toMatchObject({ walkSpeedMps: 1, detourCap: 1.5 });
      expect(r.body.graph.edges).toBeGreaterThan(100);
    });

    it('profile=shortest takes the unmarked crossing', async () => {
      const r = await api.request('GET', `/api/route?from=${ll(home)}&to=${ll(school)}&profile=shortest`);
      expect(r.status).toBe(200);
      expect(r.body.route.lengthM).toBeCloseTo(600, 0);
      expect(r.body.route.crossings).toMatchObject({ unmarked: 1, majorUnsignalised: 1 });
      expect(r.body.shortest).toBeNull();
    });

    it('school=id routes to the school', async () => {
      const r = await api.request('GET', `/api/route?from=${ll(home)}&school=${SCHOOL_IDS.signal}`);
      expect(r.status).toBe(200);
      expect(r.body.route.lengthM).toBeCloseTo(800, 0);
    });

    it('steps: the child profile climbs, the step-free profile goes round', async () => {
      const from = placedPoint('steps-shortcut', 'home'),
        to = placedPoint('steps-shortcut', 'school');
      const child = await api.request('GET', `/api/route?from=${ll(from)}&to=${ll(to)}`);
      expect(child.body.route.steps).toMatchObject({ flights: 1, stepCount: 40 });
      const free = await api.request('GET', `/api/route?from=${ll(from)}&to=${ll(to)}&profile=step_free`);
      expect(free.body.route.steps.flights).toBe(0);
      expect(free.body.route.lengthM).toBeCloseTo(654.2, 0);
    });

    it('"no walking route" between islands: 422 with the reason', async () => {
      const r = await api.request(
        'GET',
        `/api/route?from=${ll(placedPoint('islands', 'home'))}&to=${ll(placedPoint('islands', 'school'))}`,
      );
      expect(r.status).toBe(422);
      expect(r.body.error).toMatchObject({ code: 'no_walking_route', details: { reason: 'disconnected' } });
      expect(r.body.error.details.message.zh).toContain('没有相连的步行道路');
    });

    it('"no walking route" from a point far from the network names the field', async () => {
      const r = await api.request('GET', `/api/route?from=${ll(placedPoint('islands', 'home'))}&to=${ll(placedPoint('islands', 'far'))}`);
      expect(r.status).toBe(422);
      expect(r.body.error).toMatchObject({ code: 'no_walking_route', field: 'to', details: { reason: 'to_far' } });
    });

    it.each([
      ['from=abc&to=106.55,29.56', 'from'],
      ['from=106.55,95&to=106.55,29.56', 'from'],
      ['from=106.55,29.56', 'to'],
      ['from=106.55,29.56&to=106.55,29.57&school=9', 'school'],
      ['from=106.55,29.56&to=106.55,29.57&profile=fast', 'profile'],
    ])('400 for %s (field %s)', async (qs, field) => {
      const r = await api.request('GET', `/api/route?${qs}`);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'invalid_request', field });
    });

    it('404 for a school that does not exist', async () => {
      expect((await api.request('GET', `/api/route?from=${ll(home)}&school=999999`)).status).toBe(404);
    });
  });

  describe('GET /api/routes/school/:id', () => {
    it('with population cells: the catchment (就近入学), the crossings with children, no unsafe segment at the lights', async () => {
      const r = await api.request('GET', `/api/routes/school/${SCHOOL_IDS.grid}`);
      expect(r.status).toBe(200);
      expect(r.body.school).toMatchObject({ id: SCHOOL_IDS.grid, name_zh: '中山路小学', category: 'primary_school' });
      expect(r.body.norm).toMatchObject({ radiusM: 500, ageGroup: 'children_6_11' });
      expect(r.body.population).toMatchObject({ method: 'population_cells', source: 'fixture-grid', cells: 36 });
      expect(r.body.summary.children).toMatchObject({ total: 360, inCatchment: 270, nearerOtherSchool: 40, beyondRadius: 50 });
      const zs = r.body.crossings.features.filter((f: any) => f.properties.roadName === '中山路');
      expect(zs.map((f: any) => f.properties)).toEqual([expect.objectContaining({ control: 'signals', children: 90 })]);
      expect(r.body.segments.type).toBe('FeatureCollection');
      expect(r.body.segments.features[0].properties.children).toBe(270);
      expect(r.body.topUnsafe).toEqual([]);
    });

    it('without cells: street origins with the stated density', async () => {
      const r = await api.request('GET', `/api/routes/school/${SCHOOL_IDS.signal}?top=3`);
      expect(r.status).toBe(200);
      expect(r.body.population).toMatchObject({ method: 'street_origins', childrenPerKm2: 1150 });
      expect(r.body.population.note.en).toContain('2020 census');
      expect(r.body.summary.children.inCatchment).toBeGreaterThan(0);
      expect(r.body.topUnsafe.length).toBeLessThanOrEqual(3);
    });

    it('422 for a facility that is not a school, 404 for none, 400 for a bad id', async () => {
      const k = await api.request('GET', '/api/routes/school/1');
      expect(k.status).toBe(422);
      expect(k.body.error.code).toBe('not_a_school');
      expect((await api.request('GET', '/api/routes/school/999999')).status).toBe(404);
      expect((await api.request('GET', '/api/routes/school/abc')).status).toBe(400);
      expect((await api.request('GET', `/api/routes/school/${SCHOOL_IDS.grid}?top=0`)).status).toBe(400);
    });
  });

  describe('stored routes', () => {
    const bbox = '106.5,29.5,106.65,29.6';

    it('writes need an editor session and its CSRF token', async () => {
      const body = { kind: 'computed', name_zh: '解放路小学安全上学路线', from: home, school_id: SCHOOL_IDS.signal };
      expect((await api.request('POST', '/api/routes', { body })).status).toBe(401);
      expect((await api.request('POST', '/api/routes', { body, session: editor, csrf: false })).status).toBe(403);
    });

    it('an editor stores a computed route; residents see it in the bbox; it keeps its facts', async () => {
      const r = await api.request('POST', '/api/routes', {
        session: editor,
        body: {
          kind: 'computed',
          name_zh: '解放路小学安全上学路线',
          name_en: 'Jiefang Rd Primary safe route',
          from: home,
          school_id: SCHOOL_IDS.signal,
        },
      });
      expect(r.status).toBe(201);
      expect(r.headers.get('location')).toBe(`/api/routes/${r.body.id}`);
      expect(r.body.properties).toMatchObject({
        kind: 'computed',
        profile: 'child',
        status: 'published',
        school_id: SCHOOL_IDS.signal,
        school_name_zh: '解放路小学',
        created_by: USERS.editor.username,
      });
      expect(r.body.properties.length_m).toBeCloseTo(800, 0);
      expect(r.body.properties.facts.crossings).toMatchObject({ signals: 1 });
      expect(r.body.geometry.type).toBe('LineString');
      const list = await api.request('GET', `/api/routes?bbox=${bbox}`);
      expect(list.status).toBe(200);
      expect(list.body.features.map((f: any) => f.id)).toContain(r.body.id);
      const one = await api.request('GET', `/api/routes/${r.body.id}`);
      expect(one.body.properties.name_en).toBe('Jiefang Rd Primary safe route');
    });

    it('a drawn draft is hidden from residents until published; then retired; then deleted', async () => {
      const line = [
        placedPoint('school-grid', 'school'),
        [placedPoint('school-grid', 'school')[0], placedPoint('school-grid', 'school')[1] + 0.003],
      ];
      const r = await api.request('POST', '/api/routes', {
        session: editor,
        body: {
          kind: 'drawn',
          name_zh: '手绘路线',
          geometry: { type: 'LineString', coordinates: line },
          status: 'draft',
          school_id: SCHOOL_IDS.grid,
        },
      });
      expect(r.status).toBe(201);
      expect(r.body.properties).toMatchObject({ kind: 'drawn', status: 'draft', safety_score: null });
      expect(r.body.properties.length_m).toBeGreaterThan(300);
      const id = r.body.id;
      expect((await api.request('GET', `/api/routes/${id}`)).status).toBe(404);
      expect((await api.request('GET', `/api/routes?school=${SCHOOL_IDS.grid}`)).body.features).toEqual([]);
      expect((await api.request('GET', `/api/routes?school=${SCHOOL_IDS.grid}&status=draft`)).status).toBe(401);
      expect((await api.request('GET', `/api/routes?school=${SCHOOL_IDS.grid}`, { session: editor })).body.features).toHaveLength(1);
      const p = await api.request('PATCH', `/api/routes/${id}`, { session: editor, body: { status: 'published', notes: '经社区核实' } });
      expect(p.status).toBe(200);
      expect(p.body.properties).toMatchObject({ status: 'published', notes: '经社区核实', updated_by: USERS.editor.username });
      expect((await api.request('GET', `/api/routes?school=${SCHOOL_IDS.grid}`)).body.features).toHaveLength(1);
      expect((await api.request('DELETE', `/api/routes/${id}`, { session: editor })).status).toBe(204);
      expect((await api.request('DELETE', `/api/routes/${id}`, { session: editor })).status).toBe(404);
    });

    it('rejects bad bodies with the field named', async () => {
      const bad = [
        [{ kind: 'drawn', name_zh: 'x', geometry: { type: 'LineString', coordinates: [[106.5, 29.5]] } }, 'geometry.coordinates'],
        [{ kind: 'computed', name_zh: '', from: home, to: school }, 'name_zh'],
        [{ kind: 'teleport', name_zh: 'x' }, 'kind'],
        [{ kind: 'computed', name_zh: 'x', from: home }, 'to'],
        [{ kind: 'computed', name_zh: 'x', from: home, to: school, colour: 'red' }, 'colour'],
      ] as const;
      for (const [body, field] of bad) {
        const r = await api.request('POST', '/api/routes', { session: editor, body });
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.error.field).toBe(field);
      }
      const far = await api.request('POST', '/api/routes', {
        session: editor,
        body: { kind: 'computed', name_zh: 'x', from: placedPoint('islands', 'home'), to: placedPoint('islands', 'school') },
      });
      expect(far.status).toBe(422);
      expect((await api.request('GET', '/api/routes')).status).toBe(400);
    });
  });

  describe('the routing graph follows the network', () => {
    it('a bridge added to the network joins the islands (invalidate, or the fingerprint re-check)', async () => {
      const from = placedPoint('islands', 'home'),
        to = placedPoint('islands', 'school');
      expect((await api.request('GET', `/api/route?from=${ll(from)}&to=${ll(to)}`)).status).toBe(422);
      // a footbridge from the south street's node 1 (0,0) to the north street's node 3 (0,300)
      await api.db.query(
        `INSERT INTO network_edges (source, way_id, seq, from_node, to_node, length_m, highway, geom)
         SELECT 'fixture:islands', 999, 0, 1, 3, 300, 'footway', ST_MakeLine(a.geom, b.geom)
           FROM network_nodes a, network_nodes b
          WHERE a.source = 'fixture:islands' AND a.id = 1 AND b.source = 'fixture:islands' AND b.id = 3`,
      );
      setRoutingRecheckMs(0);
      try {
        const r = await api.request('GET', `/api/route?from=${ll(from)}&to=${ll(to)}`);
        expect(r.status).toBe(200);
        expect(r.body.route.lengthM).toBeCloseTo(20 + 500 + 300 + 500 + 20, 0);
      } finally {
        setRoutingRecheckMs(5000);
      }
      await api.db.query(`DELETE FROM network_edges WHERE source = 'fixture:islands' AND way_id = 999`);
      invalidateRoutingGraph(api.db);
      expect((await api.request('GET', `/api/route?from=${ll(from)}&to=${ll(to)}`)).status).toBe(422);
    });
  });
});
