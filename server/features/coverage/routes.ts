/**
 * Coverage and gaps (issue #4): who is within the planning-norm walking distance of each
 * kind of facility, in a straight line and on the street network, weighted by people.
 *
 * | route | returns |
 * |---|---|
 * | `GET /api/coverage` | norm, population method, per-district rows per mode, totals, euclidean-vs-network comparison, 2SFCA capacity (nursery, kindergarten) |
 * | `GET /api/coverage/gaps` | GeoJSON: uncovered cells dissolved into polygons, with people and children |
 * | `GET /api/coverage/cells?format=json` | parallel arrays per cell for the deck.gl layer |
 * | `GET /api/coverage/inputs` | cells, facilities and network edges for the browser what-if worker |
 * | `POST /api/coverage/suggest` | greedy best new sites and the children each adds |
 *
 * Area: `district=code[,code]` or `bbox=w,s,e,n` (exactly one). Network mode where no walkable
 * edge is imported: `mode=network` is a **409** `{ error: { code: "no_network" } }`;
 * `mode=both` answers 200 with `network: null` and `networkReason` — never a made-up number.
 */
import type { Router } from 'express';
import { normFor } from '../../../core/coverage/index';
import type { AppContext } from '../../context';
import { parse } from '../../http/validate';
import { ValidationError } from '../../errors';
import { analyse, facilitiesFor, graphFor, NO_NETWORK, areaField, surfaceFor, type CoverageParams } from './analysis';
import { areaNetwork, marginFor, windowOf } from './graph';
import { MAX_ACCESS_M } from './analysis';
import { cellsJson, coverageJson, gapsJson, inputsJson, suggestJson } from './respond';
import { areaOf, CellsQuery, CoverageQuery, GapsQuery, InputsQuery, SuggestBody } from './schemas';

/** Most cells /cells sends (the 9 central districts at 100 m are ~556 k). */
export const CELLS_CAP = 600_000;
/** Most cells /inputs sends: what a browser worker handles comfortably for what-if. */
export const INPUT_CELL_CAP = 250_000;

function paramsOf(q: { category: CoverageParams['category']; mode: CoverageParams['mode']; radiusM?: number; district?: string[]; bbox?: [number, number, number, number]; cellSizeM: number; walkSpeedMps: number; stepPenalty: number; slope?: CoverageParams['slope'] }): CoverageParams {
  return {
    category: q.category,
    mode: q.mode,
    radiusM: q.radiusM,
    area: areaOf(q),
    cellSizeM: q.cellSizeM,
    walkSpeedMps: q.walkSpeedMps,
    stepPenalty: q.stepPenalty,
    slope: q.slope ?? 'on',
  };
}

function tooMany(count: number, cap: number, what: string): never {
  throw new ValidationError('cellSizeM', `cellSizeM: this area has ${count.toLocaleString('en-US')} cells, more than the ${cap.toLocaleString('en-US')} ${what}; use a coarser cellSizeM or fewer districts`);
}

export function coverageRoutes(api: Router, ctx: AppContext): void {
  api.get('/coverage', async (req, res) => {
    const params = paramsOf(parse(CoverageQuery, req.query));
    const a = await analyse(ctx.db, params);
    res.json(coverageJson(a, normFor(params.category).radiusM));
  });

  api.get('/coverage/gaps', async (req, res) => {
    const q = parse(GapsQuery, req.query);
    const a = await analyse(ctx.db, paramsOf(q));
    res.json(gapsJson(a, { limit: q.limit, include: q.include }));
  });

  api.get('/coverage/cells', async (req, res) => {
    const q = parse(CellsQuery, req.query);
    const params = paramsOf(q);
    // the cap is checked on the surface before any coverage work
    const { surface } = await surfaceFor(ctx.db, params);
    if (surface.cells.count > CELLS_CAP) tooMany(surface.cells.count, CELLS_CAP, 'cells this route sends');
    const a = await analyse(ctx.db, params);
    res.json(cellsJson(a));
  });

  api.get('/coverage/inputs', async (req, res) => {
    const q = parse(InputsQuery, req.query);
    const params = paramsOf(q);
    const { caches, surface } = await surfaceFor(ctx.db, params);
    if (surface.cells.count > INPUT_CELL_CAP) tooMany(surface.cells.count, INPUT_CELL_CAP, 'cells a browser what-if takes');
    const norm = normFor(params.category, params.radiusM !== undefined ? { radiusM: params.radiusM } : undefined);
    const facilities = await facilitiesFor(ctx.db, surface, params.category, norm.radiusM);
    const network = params.mode === 'euclidean' ? null : await areaNetwork(ctx.db, caches, windowOf(surface.bbox, marginFor(norm.radiusM, MAX_ACCESS_M)), areaField(params.area));
    if (params.mode === 'network' && !network) await graphFor(ctx.db, caches, surface, norm.radiusM, params.stepPenalty, true);
    res.json(
      inputsJson(
        { surface, norm, params, facilities, network, networkReason: params.mode !== 'euclidean' && !network ? NO_NETWORK : null },
        normFor(params.category).radiusM,
      ),
    );
  });

  api.post('/coverage/suggest', async (req, res) => {
    const b = parse(SuggestBody, req.body ?? {});
    const params: CoverageParams = {
      category: b.category,
      mode: b.mode,
      radiusM: b.radiusM,
      area: areaOf(b),
      cellSizeM: b.cellSizeM,
      walkSpeedMps: 1,
      stepPenalty: b.stepPenalty,
    };
    const a = await analyse(ctx.db, params);
    res.json(suggestJson(a, b.mode, b.k));
  });
}
