/**
 * The planner's state (zustand, separate from the resident atlas's store so that none of it
 * is in the first load): the question (category, distance mode, radius, districts, cell
 * size), the server's answer (summary, gaps, cells), and the what-if session in the worker.
 *
 * Display follows one rule: the worker's results once it has them (they start equal to
 * the server's — same core functions, same inputs — and then follow the edits), the
 * server's before that or when the area is too large for a browser what-if.
 *
 * The session, worker included, survives closing the planner: reopening it resumes where
 * the planner left off.
 *
 * Map objects are not kept here; the map layer component reads this state and asks the map
 * to fit an area through `fitRequest` (plain data).
 */
import { create } from 'zustand';
import { normFor } from '../../../core/coverage/norms';
import type { CategoryId } from '../../../core/catalogue';
import { ApiError, getJson } from '../http';
import { useAtlas } from '../store';
import { coverageApi, type CoverageQuery, type DistrictOption } from './api';
import type { EngineResult, Suggestion } from './engine';
import { plannerText } from './messages';
import type {
  CellsResponse,
  CoverageResponse,
  CoverageRow,
  GapsResponse,
  InputsResponse,
  MeasureMode,
  NearestStreet,
  NearestStreetResponse,
} from '../../../core/api';
import type { PlannerMode } from './types';
import { WhatIfWorker } from './workerClient';
import { gridSquares } from './cells';

/** Largest area (cells) the planner sends to the what-if worker (the server allows 250 k). */
export const WHAT_IF_CELL_CAP = 250_000;

export type SortKey =
  | 'name'
  | 'children'
  | 'uncoveredChildren'
  | 'shareCoveredChildren'
  | 'uncoveredPopulation'
  | 'noAccessChildren'
  | 'overstatedChildren'
  | 'places';

export interface CellsData {
  count: number;
  cellSizeM: number;
  lng: Float64Array;
  lat: Float64Array;
  /** Each cell's grid square as west, south, east, north (4 numbers per cell). */
  squares: Float64Array;
  population: Float32Array;
  children: Float32Array;
  populationAvailable: boolean;
  server: Partial<Record<MeasureMode, { covered: Uint8Array; noAccess: Uint8Array | null }>>;
  facilities: { id: number[]; lng: number[]; lat: number[] };
}

export type WhatIfStatus = 'off' | 'loading' | 'ready' | 'unavailable' | 'error';

export interface WhatIfState {
  status: WhatIfStatus;
  reason: string | null;
  result: EngineResult | null;
  primary: MeasureMode | null;
  /** Existing facilities (ids and names) in worker order. */
  facilities: InputsResponse['facilities'] | null;
  busy: boolean;
  suggestion: Suggestion | null;
  suggestionStatus: 'idle' | 'loading' | 'ready';
  /** The suggested site's nearest named street (GET /api/network/street): undefined while asking, null when none. */
  suggestionStreet?: NearestStreet | null;
  /** Selected facility (worker facility number), for removal. */
  selected: number | null;
  /** The baseline's uncovered children in the primary mode, for "before → after". */
  baselineUncovered: number | null;
}

export interface PlannerState {
  category: CategoryId;
  mode: PlannerMode;
  /** Null = the norm's radius. */
  radiusM: number | null;
  districts: string[];
  cellSizeM: number;
  /** Show flat and slope-aware walking coverage side by side. */
  slopeCompare: boolean;
  districtOptions: DistrictOption[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  summary: CoverageResponse | null;
  gaps: GapsResponse | null;
  cells: CellsData | null;
  whatIf: WhatIfState;
  sort: { key: SortKey; dir: 'asc' | 'desc' };
  fitRequest: { bbox: [number, number, number, number]; seq: number } | null;

  setCategory(c: CategoryId): void;
  setMode(m: PlannerMode): void;
  setRadius(r: number | null): void;
  toggleDistrict(code: string): void;
  setDistricts(codes: string[]): void;
  setCellSize(n: number): void;
  setSlopeCompare(on: boolean): void;
  setSort(key: SortKey): void;
  loadDistrictOptions(): Promise<void>;
  refresh(): void;
  addAt(lng: number, lat: number): Promise<void>;
  select(facility: number | null): void;
  removeFacility(facility: number): Promise<void>;
  undo(): Promise<void>;
  reset(): Promise<void>;
  suggest(): Promise<void>;
  acceptSuggestion(): Promise<void>;
}

const offWhatIf: WhatIfState = {
  status: 'off',
  reason: null,
  result: null,
  primary: null,
  facilities: null,
  busy: false,
  suggestion: null,
  suggestionStatus: 'idle',
  selected: null,
  baselineUncovered: null,
};

let worker: WhatIfWorker | null = null;
let epoch = 0;
let controller: AbortController | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

function lang() {
  return useAtlas.getState().lang;
}

function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'no_network') return plannerText(lang(), 'noNetwork');
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

function cellsData(c: CellsResponse): CellsData {
  const server: CellsData['server'] = {};
  for (const m of ['euclidean', 'network'] as const) {
    const a = c[m];
    if (a) server[m] = { covered: Uint8Array.from(a.covered), noAccess: a.noAccess ? Uint8Array.from(a.noAccess) : null };
  }
  const squares = gridSquares(c.grid, c.col, c.row);
  return {
    count: c.count,
    cellSizeM: c.cellSizeM,
    lng: Float64Array.from(c.lng),
    lat: Float64Array.from(c.lat),
    squares,
    population: Float32Array.from(c.population),
    children: Float32Array.from(c.children),
    populationAvailable: c.populationAvailable,
    server,
    facilities: { id: c.facilities.id, lng: c.facilities.lng, lat: c.facilities.lat },
  };
}

function query(s: PlannerState): CoverageQuery {
  return {
    category: s.category,
    mode: s.mode,
    districts: s.districts,
    radiusM: s.radiusM,
    cellSizeM: s.cellSizeM,
    slopeCompare: s.slopeCompare,
  };
}

/** The measure shown on the map and in the table. */
export function primaryMode(s: Pick<PlannerState, 'mode' | 'summary'>): MeasureMode {
  if (s.mode === 'euclidean') return 'euclidean';
  return s.summary?.network ? 'network' : 'euclidean';
}

/** Rows, totals and per-cell coverage as displayed now (worker results when there are any). */
export interface PlannerView {
  primary: MeasureMode;
  secondary: MeasureMode | null;
  rows: Partial<Record<MeasureMode, { districts: CoverageRow[]; total: CoverageRow }>>;
  covered: Partial<Record<MeasureMode, Uint8Array>>;
  noAccess: Uint8Array | null;
  gaps: GapsResponse['features'];
  source: 'worker' | 'server';
}

export function plannerView(s: Pick<PlannerState, 'mode' | 'summary' | 'gaps' | 'cells' | 'whatIf'>): PlannerView | null {
  if (!s.summary) return null;
  const primary = primaryMode(s);
  const secondary: MeasureMode | null = s.mode === 'both' && primary === 'network' && s.summary.euclidean ? 'euclidean' : null;
  const r = s.whatIf.result;
  const rows: PlannerView['rows'] = {};
  const covered: PlannerView['covered'] = {};
  for (const m of [primary, secondary].filter((x): x is MeasureMode => x !== null)) {
    const wm = r?.modes[m];
    if (wm) {
      rows[m] = { districts: wm.districts, total: wm.total };
      covered[m] = wm.covered;
    } else {
      const sm = s.summary[m];
      if (sm) rows[m] = { districts: sm.districts, total: sm.total };
      const c = s.cells?.server[m];
      if (c) covered[m] = c.covered;
    }
  }
  const wp = r?.modes[primary];
  return {
    primary,
    secondary,
    rows,
    covered,
    noAccess: wp ? wp.noAccess : (s.cells?.server[primary]?.noAccess ?? null),
    gaps: wp ? wp.gaps.features : (s.gaps?.features.filter((f) => f.properties.mode === primary) ?? []),
    source: wp ? 'worker' : 'server',
  };
}

export const usePlanner = create<PlannerState>()((set, get) => {
  /** Runs one worker request and stores its result, unless the area changed meanwhile. */
  const run = async (
    body: Parameters<WhatIfWorker['send']>[0],
    after?: (suggestion: Suggestion | null | undefined) => Partial<WhatIfState>,
  ) => {
    const w = worker;
    const myEpoch = epoch;
    if (!w || get().whatIf.status !== 'ready') return;
    set((s) => ({ whatIf: { ...s.whatIf, busy: true } }));
    try {
      const res = await w.send(body);
      if (myEpoch !== epoch) return;
      set((s) => ({
        whatIf: { ...s.whatIf, busy: false, result: res.result, primary: res.primary, ...(after ? after(res.suggestion) : {}) },
      }));
    } catch (e) {
      if (myEpoch !== epoch) return;
      set((s) => ({ whatIf: { ...s.whatIf, busy: false, status: 'error', reason: errorText(e) } }));
    }
  };

  const startWhatIf = async (q: CoverageQuery, summary: CoverageResponse, myEpoch: number, signal: AbortSignal) => {
    worker?.terminate();
    worker = null;
    if (summary.area.cellCount > WHAT_IF_CELL_CAP) {
      set({
        whatIf: {
          ...offWhatIf,
          status: 'unavailable',
          reason: plannerText(lang(), 'whatIfTooBig', { n: summary.area.cellCount.toLocaleString() }),
        },
      });
      return;
    }
    set({ whatIf: { ...offWhatIf, status: 'loading' } });
    try {
      const inputs = await coverageApi.inputs(q, signal);
      if (myEpoch !== epoch) return;
      const w = new WhatIfWorker();
      worker = w;
      const modes: MeasureMode[] = q.mode === 'both' ? ['euclidean', 'network'] : [q.mode];
      const res = await w.send({ type: 'init', inputs, modes });
      if (myEpoch !== epoch) return;
      const base = res.result.modes[res.primary]?.total.uncoveredChildren ?? null;
      set({
        whatIf: {
          ...offWhatIf,
          status: 'ready',
          result: res.result,
          primary: res.primary,
          facilities: inputs.facilities,
          baselineUncovered: base,
        },
      });
    } catch (e) {
      if (myEpoch !== epoch || (e instanceof DOMException && e.name === 'AbortError')) return;
      set({ whatIf: { ...offWhatIf, status: 'error', reason: errorText(e) } });
    }
  };

  const load = async () => {
    const s = get();
    controller?.abort();
    worker?.terminate();
    worker = null;
    const myEpoch = ++epoch;
    if (s.districts.length === 0) {
      set({ status: 'idle', error: null, summary: null, gaps: null, cells: null, whatIf: offWhatIf });
      return;
    }
    const ac = new AbortController();
    controller = ac;
    const q = query(s);
    set({ status: 'loading', error: null, whatIf: offWhatIf });
    try {
      const [summary, gaps, cells] = await Promise.all([
        coverageApi.summary(q, ac.signal),
        coverageApi.gaps(q, ac.signal),
        coverageApi.cells(q, ac.signal),
      ]);
      if (myEpoch !== epoch) return;
      const areaChanged =
        get()
          .summary?.area.districts.map((d) => d.code)
          .join(',') !== summary.area.districts.map((d) => d.code).join(',');
      set({
        status: 'ready',
        summary,
        gaps,
        cells: cellsData(cells),
        fitRequest: areaChanged ? { bbox: summary.area.bbox, seq: (get().fitRequest?.seq ?? 0) + 1 } : get().fitRequest,
      });
      void startWhatIf(q, summary, myEpoch, ac.signal);
    } catch (e) {
      if (myEpoch !== epoch || (e instanceof DOMException && e.name === 'AbortError')) return;
      set({ status: 'error', error: errorText(e), summary: null, gaps: null, cells: null });
    }
  };

  return {
    category: 'kindergarten',
    mode: 'both',
    radiusM: null,
    districts: [],
    cellSizeM: 100,
    slopeCompare: false,
    districtOptions: [],
    status: 'idle',
    error: null,
    summary: null,
    gaps: null,
    cells: null,
    whatIf: offWhatIf,
    sort: { key: 'uncoveredChildren', dir: 'desc' },
    fitRequest: null,

    setCategory(category) {
      set({ category, radiusM: null });
      get().refresh();
    },
    setMode(mode) {
      set({ mode });
      get().refresh();
    },
    setRadius(radiusM) {
      // the norm's own radius is "no override"
      set({ radiusM: radiusM !== null && radiusM === normFor(get().category).radiusM ? null : radiusM });
      get().refresh();
    },
    toggleDistrict(code) {
      const cur = new Set(get().districts);
      if (cur.has(code)) cur.delete(code);
      else cur.add(code);
      get().setDistricts([...cur]);
    },
    setDistricts(codes) {
      set({ districts: [...codes].sort() });
      get().refresh();
    },
    setCellSize(cellSizeM) {
      set({ cellSizeM });
      get().refresh();
    },
    setSlopeCompare(slopeCompare) {
      set({ slopeCompare });
      get().refresh();
    },
    setSort(key) {
      const cur = get().sort;
      set({ sort: cur.key === key ? { key, dir: cur.dir === 'desc' ? 'asc' : 'desc' } : { key, dir: key === 'name' ? 'asc' : 'desc' } });
    },
    async loadDistrictOptions() {
      if (get().districtOptions.length) return;
      try {
        set({ districtOptions: await coverageApi.districts() });
      } catch (e) {
        set({ error: errorText(e) });
      }
    },
    refresh() {
      clearTimeout(refreshTimer);
      // typing a radius or ticking several districts makes one request, not one per key
      refreshTimer = setTimeout(() => void load(), 200);
    },

    addAt: (lng, lat) => run({ type: 'add', lng, lat }, () => ({ suggestion: null, suggestionStatus: 'idle', selected: null })),
    select(selected) {
      set((s) => ({ whatIf: { ...s.whatIf, selected } }));
    },
    removeFacility: (facility) => run({ type: 'remove', facility }, () => ({ selected: null, suggestion: null, suggestionStatus: 'idle' })),
    undo: () => run({ type: 'undo' }, () => ({ selected: null, suggestion: null, suggestionStatus: 'idle' })),
    reset: () => run({ type: 'reset' }, () => ({ selected: null, suggestion: null, suggestionStatus: 'idle' })),
    async suggest() {
      set((s) => ({ whatIf: { ...s.whatIf, suggestionStatus: 'loading', suggestion: null } }));
      await run({ type: 'suggest' }, (suggestion) => ({
        suggestion: suggestion ?? null,
        suggestionStatus: 'ready',
        suggestionStreet: undefined,
      }));
      const site = get().whatIf.suggestion;
      if (!site) return;
      let street: NearestStreet | null = null;
      try {
        street = (await getJson<NearestStreetResponse>('/api/network/street', { at: `${site.lng},${site.lat}` })).street;
      } catch {
        // the coordinates still name the site
      }
      // only if the suggestion is still the one asked about
      if (get().whatIf.suggestion === site) set((s) => ({ whatIf: { ...s.whatIf, suggestionStreet: street } }));
    },
    async acceptSuggestion() {
      const s = get().whatIf.suggestion;
      if (s) await get().addAt(s.lng, s.lat);
    },
  };
});
