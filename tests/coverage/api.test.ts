/**
 * The coverage API on the hand-built river town (./fixture.ts), on PGlite always and on
 * PostgreSQL when TEST_DATABASE_URL is set. Numbers are exact by construction (see the
 * fixture); rounding on the wire is to 0.1 person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTargets, startTestApi, type TestApi } from '../api/harness';
import { A, B, FAR_BBOX, K, PEOPLE, insertEdge, loadCoverageFixture, recordImport } from './fixture';
import { invalidateCoverageCache } from '../../server/features/coverage/cache';
import { createEngine } from '../../client/src/planner/engine';
import type { CellsResponse, CoverageResponse, GapsResponse, InputsResponse } from '../../core/api';

const q = (params: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
const KG = { category: 'kindergarten', district: A.code };

for (const target of apiTargets()) {
  describe(`coverage API on ${target.name}`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(target, loadCoverageFixture);
    });
    afterAll(async () => api?.close());

    const post = (path: string, body: unknown) =>
      fetch(api.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
        async (r) => ({ status: r.status, body: await r.json() }),
      );

    it('river with one bridge: walking covers fewer people than straight lines, by exactly the far bank', async () => {
      const { status, body } = await api.json<CoverageResponse>(`/api/coverage?${q({ ...KG, mode: 'both' })}`);
      expect(status).toBe(200);
      expect(body.norm).toMatchObject({
        radiusM: 300,
        normRadiusM: 300,
        overridden: false,
        walkMinutes: 5,
        ageGroup: 'children_3_5',
        source: 'GB 50180-2018',
      });
      expect(body.norm.citation).toContain('表4.0.1');
      expect(body.method.population.source).toBe('population_cells');
      expect(body.method.population.text).toContain('Imported population cells');
      expect(body.facilities.count).toBe(1);

      const e = body.euclidean!.total,
        n = body.network!.total;
      expect(e.population).toBe(2800);
      expect(e.children).toBe(140);
      expect([e.coveredPopulation, e.coveredChildren, e.uncoveredChildren]).toEqual([1800, 90, 50]);
      expect([n.coveredPopulation, n.coveredChildren, n.uncoveredChildren]).toEqual([1000, 50, 90]);
      expect(e.shareCoveredChildren).toBeCloseTo(90 / 140, 4);
      expect(n.shareCoveredChildren).toBeCloseTo(50 / 140, 4);
      expect(body.euclidean!.districts).toHaveLength(1);
      expect(body.euclidean!.districts[0]).toMatchObject({ code: A.code, name_zh: '渝中区', coveredChildren: 90 });
      // the people all live near a street: nobody is cut off
      expect(n.noAccessPopulation).toBe(0);
      expect(body.network!.graph!.edges).toBe(5);

      expect(body.comparison!.total).toMatchObject({ overstatedPopulation: 800, overstatedChildren: 40 });
      expect(body.comparison!.total.overstatedSharePoints).toBeCloseTo((100 * 40) / 140, 3);
      expect(body.comparison!.text.en).toContain('overstates coverage within 300 m by 800 people (40 children aged 3–5)');
      expect(body.comparison!.text.zh).toContain('多算 800 人');

      // 2SFCA: all 90 places reach the district's 140 children either way
      expect(body.capacity!.mode).toBe('network');
      expect(body.capacity!.districts[0].placesPer1000Children).toBe(642.9);
      expect(body.capacity!.facilitiesWithCapacity).toBe(1);
      expect(body.computedMs).toBeGreaterThanOrEqual(0);
    });

    it('overriding the radius and the walking speed', async () => {
      const { body } = await api.json<CoverageResponse>(
        `/api/coverage?${q({ ...KG, mode: 'euclidean', radiusM: 100, walkSpeedMps: 0.5 })}`,
      );
      expect(body.norm).toMatchObject({ radiusM: 100, normRadiusM: 300, overridden: true, walkMinutesAtSpeed: 3.3 });
      // P1 (50) only, up to a sliver of P2's 20 m cell: since issue 13 the grid is laid on one
      // projection shared by all districts (persisted surfaces), and at this alignment ~4 % of
      // P2's cell spreads into a 100 m square whose centre is within 100 m of K
      const covered = body.euclidean!.total.coveredChildren;
      expect(covered).toBeGreaterThanOrEqual(50);
      expect(covered).toBeLessThan(55);
      expect(body.network).toBeNull();
      expect(body.comparison).toBeNull();
    });

    it('gaps: dissolved polygons carry the uncovered people, most children first, per mode', async () => {
      const { status, body } = await api.json<GapsResponse>(`/api/coverage/gaps?${q({ ...KG, mode: 'both' })}`);
      expect(status).toBe(200);
      expect(body.type).toBe('FeatureCollection');
      expect(body.totals.euclidean).toMatchObject({ uncoveredChildren: 50, uncoveredPopulation: 1000 });
      expect(body.totals.network).toMatchObject({ uncoveredChildren: 90, uncoveredPopulation: 1800 });
      const net = body.features.filter((f) => f.properties.mode === 'network');
      expect(net[0].properties.uncoveredChildren).toBe(40); // P2, across the river
      expect(net[0].properties.districtCode).toBe(A.code);
      for (const f of body.features) {
        expect(f.geometry.type).toBe('Polygon');
        const ring = f.geometry.coordinates[0];
        expect(ring[0]).toEqual(ring[ring.length - 1]);
      }
      const limited = await api.json<GapsResponse>(`/api/coverage/gaps?${q({ ...KG, mode: 'network', limit: 1 })}`);
      expect(limited.body.features).toHaveLength(1);
      expect(limited.body.truncated).toBe(true);
    });

    it('cells: compact parallel arrays in surface order', async () => {
      const { body } = await api.json<CellsResponse>(`/api/coverage/cells?${q({ ...KG, mode: 'both', format: 'json' })}`);
      expect(body.count).toBeGreaterThan(430); // 4.3 km² of 100 m cells (border cells are partial)
      expect(body.count).toBeLessThan(520);
      for (const k of ['lng', 'lat', 'population', 'children', 'district'] as const) expect(body[k]).toHaveLength(body.count);
      const sum = (m: 'euclidean' | 'network') => body.children.reduce((s, c, i) => s + (body[m]!.covered[i] ? c : 0), 0);
      expect(sum('euclidean')).toBeCloseTo(90, 0);
      expect(sum('network')).toBeCloseTo(50, 0);
      expect(body.network!.noAccess).toHaveLength(body.count);
      // distance: cells near K are close, unreachable ones are null beyond none
      const i = body.euclidean!.distanceM.findIndex((d) => d !== null && d < 60);
      expect(i).toBeGreaterThanOrEqual(0);
    });

    it('an empty category: nobody covered, every populated cell a gap, no crash', async () => {
      const { status, body } = await api.json<CoverageResponse>(
        `/api/coverage?${q({ category: 'library', district: A.code, mode: 'both' })}`,
      );
      expect(status).toBe(200);
      expect(body.facilities.count).toBe(0);
      expect(body.euclidean!.total).toMatchObject({ coveredPopulation: 0, uncoveredPopulation: 2800, shareCoveredPopulation: 0 });
      expect(body.network!.total.coveredPopulation).toBe(0);
      expect(body.capacity).toBeNull(); // libraries have no places
      const gaps = await api.json<GapsResponse>(`/api/coverage/gaps?${q({ category: 'library', district: A.code, mode: 'euclidean' })}`);
      expect(gaps.body.totals.euclidean!.uncoveredPopulation).toBe(2800);
    });

    it('census district without a network: dasymetric population; network 409 alone, null with a reason beside euclidean', async () => {
      const both = await api.json<CoverageResponse>(`/api/coverage?${q({ category: 'kindergarten', district: B.code })}`);
      expect(both.status).toBe(200);
      expect(both.body.mode).toBe('both');
      expect(both.body.method.population.source).toBe('census-dasymetric');
      expect(both.body.method.population.details[0]).toContain('spread evenly by area');
      expect(both.body.euclidean!.total.population).toBeCloseTo(10_000, 0);
      expect(both.body.euclidean!.total.children).toBeCloseTo(300, 0);
      expect(both.body.euclidean!.total.coveredChildren).toBe(0);
      expect(both.body.network).toBeNull();
      expect(both.body.networkReason).toBe('no street network imported for this area');
      const alone = await api.json(`/api/coverage?${q({ category: 'kindergarten', district: B.code, mode: 'network' })}`);
      expect(alone.status).toBe(409);
      expect(alone.body.error.code).toBe('no_network');
      expect(alone.body.error.message).toContain('no street network imported for this area');
      const gaps = await api.json(`/api/coverage/gaps?${q({ category: 'kindergarten', district: B.code, mode: 'network' })}`);
      expect(gaps.status).toBe(409);
    });

    it('a newer finished import refreshes the cached graph (no restart, no explicit call)', async () => {
      expect((await api.json(`/api/coverage?${q({ category: 'kindergarten', district: B.code, mode: 'network' })}`)).status).toBe(409);
      await api.db.transaction(async (tx) => {
        await insertEdge(tx, 'test-osm-b', 301, 31, 32, [
          [106.605, 29.61],
          [106.615, 29.61],
        ]);
      });
      await recordImport(api.db);
      const after = await api.json<CoverageResponse>(`/api/coverage?${q({ category: 'kindergarten', district: B.code, mode: 'network' })}`);
      expect(after.status).toBe(200);
      expect(after.body.network!.graph!.edges).toBe(1);
      // and the surface was rebuilt too: the street is now settlement signal
      expect(after.body.method.population.text).toContain('1 imported network edges');
    });

    it('bbox outside every district: no population, coverage as a share of land area', async () => {
      const { status, body } = await api.json<CoverageResponse>(
        `/api/coverage?${q({ category: 'playground', bbox: FAR_BBOX.join(','), mode: 'both' })}`,
      );
      expect(status).toBe(200);
      expect(body.area.kind).toBe('bbox');
      expect(body.method.population.available).toBe(false);
      expect(body.method.population.text).toContain('Population is not available for this area');
      const e = body.euclidean!.total;
      expect(e.population).toBeNull();
      expect(e.children).toBeNull();
      // one playground: a 300 m disc, 0.283 km², of a ≈ 3.6 km² box
      expect(e.coveredAreaKm2).toBeGreaterThan(0.25);
      expect(e.coveredAreaKm2).toBeLessThan(0.32);
      expect(e.shareCoveredArea).toBeCloseTo(e.coveredAreaKm2 / e.areaKm2, 3);
      expect(body.network!.total.coveredAreaKm2).toBeLessThan(e.coveredAreaKm2);
      expect(body.comparison!.text.en).toContain('overstates the area');
      const gaps = await api.json<GapsResponse>(
        `/api/coverage/gaps?${q({ category: 'playground', bbox: FAR_BBOX.join(','), mode: 'euclidean' })}`,
      );
      expect(gaps.body.features.length).toBeGreaterThan(0);
      expect(gaps.body.features[0].properties.uncoveredPopulation).toBeNull();
    });

    it('bbox outside every district with imported cells: their population, children unknown', async () => {
      await api.db.query(
        `INSERT INTO population_cells (source, cell_id, population, method, geom, centroid)
         VALUES ('far-pop', 'c1', 500, 'test raster', ST_MakeEnvelope(7.4195, 43.7295, 7.4205, 43.7305, 4326), ST_SetSRID(ST_MakePoint(7.42, 43.73), 4326))`,
      );
      invalidateCoverageCache(api.db);
      const { body } = await api.json<CoverageResponse>(
        `/api/coverage?${q({ category: 'playground', bbox: FAR_BBOX.join(','), mode: 'euclidean' })}`,
      );
      expect(body.method.population).toMatchObject({ available: true, childrenAvailable: false, source: 'population_cells' });
      expect(body.euclidean!.total.population).toBe(500);
      expect(body.euclidean!.total.coveredPopulation).toBe(500);
      expect(body.euclidean!.total.children).toBeNull();
    });

    it('suggest: greedy best sites with the children each adds, on foot and in a straight line', async () => {
      const n = await post('/api/coverage/suggest', { category: 'kindergarten', district: A.code, k: 3, mode: 'network' });
      expect(n.status).toBe(200);
      expect(n.body.sites.map((s: { addedChildren: number }) => s.addedChildren)).toEqual([40, 30, 20]);
      expect(n.body.before.uncoveredChildren).toBe(90);
      expect(n.body.after.uncoveredChildren).toBe(0);
      const first = n.body.sites[0];
      expect(Math.abs(first.lng - PEOPLE[1].lng)).toBeLessThan(0.0015);
      expect(Math.abs(first.lat - PEOPLE[1].lat)).toBeLessThan(0.0015);
      expect(first.districtCode).toBe(A.code);
      const e = await post('/api/coverage/suggest', { category: 'kindergarten', district: A.code, k: 2 });
      expect(e.body.mode).toBe('euclidean');
      expect(e.body.sites.map((s: { addedChildren: number }) => s.addedChildren)).toEqual([30, 20]);
      const bad = await post('/api/coverage/suggest', { category: 'kindergarten', district: A.code, k: 50 });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('k');
      const none = await post('/api/coverage/suggest', { category: 'kindergarten', district: B.code, mode: 'network' });
      expect(none.status).toBe(200); // B has a street since the import test
    });

    it('inputs: the browser engine reproduces the server and updates incrementally', async () => {
      const { status, body } = await api.json<InputsResponse>(`/api/coverage/inputs?${q({ ...KG, mode: 'both' })}`);
      expect(status).toBe(200);
      expect(body.network!.edgeCount).toBe(5);
      expect(body.facilities).toMatchObject({ count: 1, id: [K.id], capacity: [K.capacity] });
      expect(body.cells.count).toBe(body.cells.lng.length);
      const server = (await api.json<CoverageResponse>(`/api/coverage?${q({ ...KG, mode: 'both' })}`)).body;
      const engine = createEngine(body, ['euclidean', 'network']);
      const base = engine.result();
      expect(base.modes.euclidean!.total).toEqual(server.euclidean!.total);
      expect(base.modes.network!.total).toEqual(server.network!.total);
      // a proposed kindergarten on the north bank serves P2 on foot
      const added = engine.add(PEOPLE[1].lng, PEOPLE[1].lat + 0.0001);
      expect(added.modes.network!.total.coveredChildren).toBe(90);
      expect(added.facilities.proposed[1]).toBe(1);
      expect(engine.suggest()!.addedChildren).toBe(30);
      // removing the existing one loses P1 (and P2 stays served by the new site)
      const removed = engine.remove(0);
      expect(removed.modes.network!.total.coveredChildren).toBe(40);
      expect(engine.undo().modes.network!.total.coveredChildren).toBe(90);
      expect(engine.reset().modes.network!.total).toEqual(server.network!.total);
    });

    it('rejects bad parameters with a 400 naming the field', async () => {
      const cases: [Record<string, string | number>, string][] = [
        [{ district: A.code }, 'category'],
        [{ category: 'zoo', district: A.code }, 'category'],
        [{ category: 'kindergarten' }, 'district'],
        [{ category: 'kindergarten', district: '5001' }, 'district'],
        [{ category: 'kindergarten', district: '500199' }, 'district'],
        [{ category: 'kindergarten', district: A.code, bbox: '1,2,3,4' }, 'bbox'],
        [{ category: 'kindergarten', bbox: '1,2,3' }, 'bbox'],
        [{ category: 'kindergarten', bbox: '3,2,1,4' }, 'bbox'],
        [{ ...KG, mode: 'fly' }, 'mode'],
        [{ ...KG, radiusM: 'far' }, 'radiusM'],
        [{ ...KG, radiusM: 10 }, 'radiusM'],
        [{ ...KG, cellSizeM: 20 }, 'cellSizeM'],
        [{ ...KG, cellSizeM: 99.5 }, 'cellSizeM'],
        [{ ...KG, walkSpeedMps: 0 }, 'walkSpeedMps'],
        [{ ...KG, stepPenalty: 0.5 }, 'stepPenalty'],
        // a bbox of 10° × 10° at 50 m: far over the cell cap, before any work
        [{ category: 'kindergarten', bbox: '0,0,10,10', cellSizeM: 50 }, 'cellSizeM'],
      ];
      for (const [params, field] of cases) {
        const { status, body } = await api.json(`/api/coverage?${q(params)}`);
        expect({ params, status, field: body.error?.field }).toEqual({ params, status: 400, field });
        expect(body.error.message).toContain(field);
      }
      const cap = await api.json(`/api/coverage?${q({ category: 'kindergarten', bbox: '0,0,10,10', cellSizeM: 50 })}`);
      expect(cap.body.error.message).toMatch(/use cellSizeM=\d+ or more/);
      expect((await api.json(`/api/coverage/cells?${q({ ...KG, format: 'csv' })}`)).body.error.field).toBe('format');
      expect((await api.json(`/api/coverage/gaps?${q({ ...KG, limit: 0 })}`)).body.error.field).toBe('limit');
    });
  });
}
