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
 *
 * The work runs in the analysis worker pool (server/analysis/pool.ts; ./handlers.ts), never on
 * the request thread; a non-default analysis above the cost threshold needs an editor (./cost.ts).
 */
import type { Request, Response, Router } from 'express';
import type { AppContext } from '../../context';
import { parse } from '../../http/validate';
import { requestUser, roleAllows } from '../../http/requestUser';
import { analysisClient, analysisPoolFor, type AnalysisPool } from '../../analysis/pool';
import type { CoverageParams } from './analysis';
import { lookupAnswer, storeAfterReply } from './answers';
import { FACILITY_CAP } from './sql';
import { checkAnalysisCost } from './cost';
import type { CoverageTask } from './handlers';
import { areaOf, CellsQuery, CoverageQuery, GapsQuery, InputsQuery, SuggestBody } from './schemas';

export { CELLS_CAP, INPUT_CELL_CAP } from './handlers';

function paramsOf(q: {
  category: CoverageParams['category'];
  mode: CoverageParams['mode'];
  radiusM?: number;
  district?: string[];
  bbox?: [number, number, number, number];
  cellSizeM: number;
  walkSpeedMps: number;
  stepPenalty: number;
  slope?: CoverageParams['slope'];
}): CoverageParams {
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

/** Cost gate, then the job in the pool; the worker's JSON bytes are the response. */
async function runJob(ctx: AppContext, pool: AnalysisPool, req: Request, res: Response, task: CoverageTask): Promise<void> {
  const user = requestUser(req);
  await checkAnalysisCost(ctx.db, task.params, user !== undefined && roleAllows(user.role, 'editor'), pool.options.costThreshold);
  const left = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) left.abort();
  });
  const out = await pool.run('coverage', task, { client: analysisClient(req), signal: left.signal });
  res.type(out.contentType).send(Buffer.from(out.bytes.buffer, out.bytes.byteOffset, out.bytes.byteLength));
  void storeAfterReply(ctx.db, out);
}

export function coverageRoutes(api: Router, ctx: AppContext): void {
  const pool = analysisPoolFor(ctx.db, ctx.analysis, ctx.log);

  api.get('/coverage', async (req, res) => {
    const params = paramsOf(parse(CoverageQuery, req.query));
    // a default analysis whose stored answer is still exact: one query here, no job; after an edit
    // the same query reads what the job needs (./answers.ts)
    const found = await lookupAnswer(ctx.db, params, FACILITY_CAP);
    if (found?.body) {
      res.json(found.body);
      return;
    }
    await runJob(ctx, pool, req, res, { kind: 'coverage', params, read: found?.read });
  });

  api.get('/coverage/gaps', async (req, res) => {
    const q = parse(GapsQuery, req.query);
    await runJob(ctx, pool, req, res, { kind: 'gaps', params: paramsOf(q), limit: q.limit, include: q.include });
  });

  api.get('/coverage/cells', async (req, res) => {
    await runJob(ctx, pool, req, res, { kind: 'cells', params: paramsOf(parse(CellsQuery, req.query)) });
  });

  api.get('/coverage/inputs', async (req, res) => {
    await runJob(ctx, pool, req, res, { kind: 'inputs', params: paramsOf(parse(InputsQuery, req.query)) });
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
    await runJob(ctx, pool, req, res, { kind: 'suggest', params, mode: b.mode, k: b.k });
  });
}
