/**
 * State of the route-to-school panel, its own zustand store (the atlas store stays small):
 * the chosen school and home, the profile, the route answer, the planner view's school
 * network, and the published routes in view. Map objects never live here — the overlay
 * (./RouteLayers.tsx) follows this state.
 *
 * The panel shares the map's right-hand side with the results panel and the coverage
 * planner: opening one closes the others (see {@link openRoutes} and the subscription at
 * the end of this file).
 */
import { create } from 'zustand';
import type { FeatureCollection, LineString } from 'geojson';
import type { LngLat } from '../../../core/api';
import type { ProfileId } from '../../../core/routing/safety';
import type { Bbox } from '../api';
import { ApiError, isAbort } from '../http';
import { useAtlas } from '../store';
import { noRouteOf, routesApi, type RouteAnswer, type SchoolNetworkAnswer, type StoredRouteProps } from './api';

export interface RouteSchool {
  id: number;
  name_zh: string;
  name_en: string | null;
  category: string;
  coordinates: LngLat;
}

export type RouteError = { kind: 'no_route'; zh: string; en: string } | { kind: 'network' } | { kind: 'server'; code: number };

interface Async<T> {
  status: 'idle' | 'loading' | 'ready' | 'error';
  data: T | null;
  error: RouteError | null;
}

export interface RoutesState {
  open: boolean;
  school: RouteSchool | null;
  home: LngLat | null;
  /** A click on the map sets home (on while the panel is open, unless switched off). */
  picking: boolean;
  profile: Extract<ProfileId, 'child' | 'step_free'>;
  route: Async<RouteAnswer>;
  /** Planner view: the chosen school's route network. */
  planner: boolean;
  network: Async<SchoolNetworkAnswer>;
  stored: FeatureCollection<LineString, StoredRouteProps> | null;
  /** A request to show one of the top unsafe items (rank), for the map's markers. */
  focusRank: number | null;

  setSchool(s: RouteSchool | null): void;
  setHome(p: LngLat | null): void;
  setPicking(on: boolean): void;
  setProfile(p: RoutesState['profile']): void;
  setPlanner(on: boolean): void;
  setFocusRank(rank: number | null): void;
  computeRoute(): Promise<void>;
  loadNetwork(): Promise<void>;
  loadStored(bbox: Bbox): Promise<void>;
}

function toError(e: unknown): RouteError {
  const noRoute = noRouteOf(e);
  if (noRoute) return { kind: 'no_route', zh: noRoute.words.zh, en: noRoute.words.en };
  if (e instanceof ApiError && e.status > 0) return { kind: 'server', code: e.status };
  return { kind: 'network' };
}

function latest() {
  let c: AbortController | null = null;
  return () => {
    c?.abort();
    c = new AbortController();
    return c.signal;
  };
}
const nextRoute = latest(),
  nextNetwork = latest(),
  nextStored = latest();
const idle = <T>(): Async<T> => ({ status: 'idle', data: null, error: null });

export const useRoutes = create<RoutesState>()((set, get) => ({
  open: false,
  school: null,
  home: null,
  picking: true,
  profile: 'child',
  route: idle(),
  planner: false,
  network: idle(),
  stored: null,
  focusRank: null,

  setSchool(school) {
    set({ school, route: idle(), network: idle(), focusRank: null });
    void get().computeRoute();
    if (get().planner) void get().loadNetwork();
  },
  setHome(home) {
    set({ home });
    void get().computeRoute();
  },
  setPicking(picking) {
    set({ picking });
  },
  setProfile(profile) {
    set({ profile });
    void get().computeRoute();
  },
  setPlanner(planner) {
    set({ planner, focusRank: null });
    if (planner) void get().loadNetwork();
  },
  setFocusRank(focusRank) {
    set({ focusRank });
  },

  async computeRoute() {
    const { school, home, profile } = get();
    const signal = nextRoute();
    if (!school || !home) {
      set({ route: idle() });
      return;
    }
    set((s) => ({ route: { ...s.route, status: 'loading', error: null } }));
    try {
      const data = await routesApi.route({ from: home, schoolId: school.id, profile }, signal);
      set({ route: { status: 'ready', data, error: null } });
    } catch (e) {
      if (isAbort(e)) return;
      set({ route: { status: 'error', data: null, error: toError(e) } });
    }
  },
  async loadNetwork() {
    const { school } = get();
    const signal = nextNetwork();
    if (!school) {
      set({ network: idle() });
      return;
    }
    set({ network: { status: 'loading', data: null, error: null } });
    try {
      const data = await routesApi.schoolNetwork(school.id, signal);
      set({ network: { status: 'ready', data, error: null } });
    } catch (e) {
      if (isAbort(e)) return;
      set({ network: { status: 'error', data: null, error: toError(e) } });
    }
  },
  async loadStored(bbox) {
    const signal = nextStored();
    try {
      set({ stored: await routesApi.stored(bbox, signal) });
    } catch (e) {
      if (!isAbort(e)) set({ stored: null });
    }
  },
}));

/** The coverage planner's switch, when the atlas store has one (client/src/planner). */
function atlasPlanner(): { on: boolean; off: () => void } {
  const s = useAtlas.getState() as unknown as { planner?: boolean; setPlanner?: (on: boolean) => void };
  return { on: !!s.planner, off: () => s.setPlanner?.(false) };
}

/** Open the panel (optionally for a school): the results panel, details and the coverage planner give way. */
export function openRoutes(school?: RouteSchool): void {
  const p = atlasPlanner();
  if (p.on) p.off();
  const a = useAtlas.getState();
  a.closeDetails();
  a.closePanel();
  a.setDrawerOpen(false);
  useRoutes.setState({ open: true, picking: true });
  if (school && school.id !== useRoutes.getState().school?.id) useRoutes.getState().setSchool(school);
  const bbox = useAtlas.getState().viewBbox;
  if (bbox) void useRoutes.getState().loadStored(bbox);
}

export function closeRoutes(): void {
  nextRoute();
  nextNetwork();
  useRoutes.setState({ open: false, focusRank: null });
}

// The other panels and the coverage planner take the map's side: the route panel steps aside.
// The published routes follow the view while the panel is open.
useAtlas.subscribe((s, prev) => {
  const r = useRoutes.getState();
  if (!r.open) return;
  const planner = (s as unknown as { planner?: boolean }).planner;
  if (
    (s.panel && s.panel !== prev.panel) ||
    (s.selectedId !== null && s.selectedId !== prev.selectedId) ||
    (planner && !(prev as unknown as { planner?: boolean }).planner)
  ) {
    closeRoutes();
    return;
  }
  if (s.viewBbox && s.viewBbox !== prev.viewBbox) void r.loadStored(s.viewBbox);
});
