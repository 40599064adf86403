/**
 * The atlas's UI state, one zustand store: language, selected categories, the selected
 * and hovered facility, the open panel, the current map view, and the search, near-me
 * and list-view queries with their results.
 *
 * Map objects (the maplibre `Map`, layers, markers) never live here: the map component
 * owns them and follows this state. The store expresses intent ("fly to this point")
 * as plain data (`flyRequest`), which the map component carries out.
 */
import { create } from 'zustand';
import { CATEGORY_IDS, type CategoryId } from '../../core/catalogue';
import type { FacilityFeature, HealthResponse, LngLat } from '../../core/api';
import { api, type Bbox } from './api';
import { ApiError, isAbort } from './http';
import { langTag, type Lang, type MessageKey } from './i18n';

export type AsyncStatus = 'idle' | 'loading' | 'ready' | 'error';

/** An error to show, as a dictionary key so it follows the language. */
export interface UiError {
  key: MessageKey;
  params?: Record<string, string | number>;
}

export type Panel = 'list' | 'nearby';
export type SearchScope = 'city' | 'view';
export type NearbyOrigin = 'gps' | 'map' | 'centre' | 'facility';

/**
 * The opening view: 渝中区 at 解放碑 (Jiefangbei), at a zoom where streets are drawn — the
 * real OpenStreetMap walking network and buildings of 渝中 are seeded by default.
 */
export const INITIAL_CENTRE: LngLat = [106.5775, 29.558];
export const INITIAL_ZOOM = 15;

export const SEARCH_LIMIT = 50;
export const NEARBY_LIMIT = 20;
/**
 * The list view asks for the API's maximum: it is the map's accessible alternative, so
 * it should be complete for any street-level view (a city-wide view says "more than").
 */
export const LIST_LIMIT = 1000;

interface SearchState {
  query: string;
  scope: SearchScope;
  status: AsyncStatus;
  results: FacilityFeature[];
  truncated: boolean;
  error: UiError | null;
}

interface NearbyState {
  point: LngLat | null;
  origin: NearbyOrigin | null;
  /** When true, a click on the map sets the query point instead of selecting a facility. */
  picking: boolean;
  status: AsyncStatus | 'locating';
  results: FacilityFeature[];
  error: UiError | null;
}

interface ListState {
  status: AsyncStatus;
  features: FacilityFeature[];
  truncated: boolean;
  error: UiError | null;
}

export interface AtlasState {
  lang: Lang;
  health: HealthResponse | null;
  /** Selected categories, in catalogue order. */
  categories: CategoryId[];
  selectedId: number | null;
  /** The selected facility when a list already had it (saves a request). */
  selectedFeature: FacilityFeature | null;
  hoveredId: number | null;
  /** A request to move the map; `seq` makes repeated requests to one point distinct. */
  flyRequest: { center: LngLat; seq: number } | null;
  panel: Panel | null;
  /** Phone layout: the search-and-filter drawer. */
  drawerOpen: boolean;
  viewBbox: Bbox | null;
  viewCentre: LngLat;
  search: SearchState;
  nearby: NearbyState;
  list: ListState;
  /**
   * Planner view (coverage and gaps, client/src/planner): the sidebar shows the planner, the
   * map shows its layers and clicks on the map belong to it. Its own state lives in
   * client/src/planner/store.ts, a lazy chunk.
   */
  planner: boolean;

  setLang(lang: Lang): void;
  toggleLang(): void;
  setHealth(h: HealthResponse | null): void;
  toggleCategory(id: CategoryId): void;
  setCategories(ids: readonly CategoryId[]): void;
  selectFacility(f: FacilityFeature | number, opts?: { fly?: boolean }): void;
  closeDetails(): void;
  setHovered(id: number | null): void;
  togglePanel(p: Panel): void;
  closePanel(): void;
  setDrawerOpen(open: boolean): void;
  setView(bbox: Bbox, centre: LngLat): void;
  setSearchQuery(q: string): void;
  setSearchScope(scope: SearchScope): void;
  runSearch(): Promise<void>;
  clearSearch(): void;
  setPicking(picking: boolean): void;
  nearbyAt(point: LngLat, origin: NearbyOrigin): Promise<void>;
  locateMe(): void;
  refreshNearby(): Promise<void>;
  loadList(): Promise<void>;
  setPlanner(on: boolean): void;
}

function toUiError(e: unknown): UiError {
  if (e instanceof ApiError && e.status > 0) return { key: 'errorServer', params: { code: e.status } };
  return { key: 'errorNetwork' };
}

function initialLang(): Lang {
  try {
    const fromUrl = new URLSearchParams(location.search).get('lang');
    if (fromUrl === 'en' || fromUrl === 'zh') return fromUrl;
    const saved = localStorage.getItem('atlas.lang');
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    /* storage may be blocked; fall back to Chinese */
  }
  return 'zh';
}

/** Keeps only the latest of overlapping requests of one kind. */
function latestOnly() {
  let controller: AbortController | null = null;
  return () => {
    controller?.abort();
    controller = new AbortController();
    return controller.signal;
  };
}

const nextSearchSignal = latestOnly();
const nextNearbySignal = latestOnly();
const nextListSignal = latestOnly();

export const useAtlas = create<AtlasState>()((set, get) => ({
  lang: initialLang(),
  health: null,
  categories: [...CATEGORY_IDS],
  selectedId: null,
  selectedFeature: null,
  hoveredId: null,
  flyRequest: null,
  panel: null,
  drawerOpen: false,
  viewBbox: null,
  viewCentre: INITIAL_CENTRE,
  search: { query: '', scope: 'city', status: 'idle', results: [], truncated: false, error: null },
  nearby: { point: null, origin: null, picking: false, status: 'idle', results: [], error: null },
  list: { status: 'idle', features: [], truncated: false, error: null },
  planner: false,

  setLang(lang) {
    set({ lang });
    try {
      localStorage.setItem('atlas.lang', lang);
    } catch {
      /* ignore */
    }
  },
  toggleLang() {
    get().setLang(get().lang === 'zh' ? 'en' : 'zh');
  },
  setHealth(health) {
    set({ health });
  },

  toggleCategory(id) {
    const cur = new Set(get().categories);
    if (cur.has(id)) cur.delete(id);
    else cur.add(id);
    get().setCategories([...cur]);
  },
  setCategories(ids) {
    const wanted = new Set(ids);
    set({ categories: CATEGORY_IDS.filter((c) => wanted.has(c)) });
    if (get().nearby.point) void get().refreshNearby();
  },

  selectFacility(f, opts = {}) {
    if (typeof f === 'number') {
      set({ selectedId: f, selectedFeature: null });
      return;
    }
    set({
      selectedId: f.id,
      selectedFeature: f,
      flyRequest: opts.fly ? { center: f.geometry.coordinates, seq: (get().flyRequest?.seq ?? 0) + 1 } : get().flyRequest,
    });
  },
  closeDetails() {
    set({ selectedId: null, selectedFeature: null });
  },
  setHovered(hoveredId) {
    if (get().hoveredId !== hoveredId) set({ hoveredId });
  },

  togglePanel(p) {
    const open = get().panel === p ? null : p;
    set({ panel: open, drawerOpen: open ? false : get().drawerOpen, selectedId: null, selectedFeature: null });
    // Picking on the map is what the near-me panel is for: on while it is open.
    set((s) => ({ nearby: { ...s.nearby, picking: open === 'nearby' } }));
  },
  closePanel() {
    set((s) => ({ panel: null, nearby: { ...s.nearby, picking: false } }));
  },
  setDrawerOpen(drawerOpen) {
    set({ drawerOpen });
  },
  setView(viewBbox, viewCentre) {
    set({ viewBbox, viewCentre });
  },

  setSearchQuery(query) {
    set((s) => ({ search: { ...s.search, query } }));
  },
  setSearchScope(scope) {
    set((s) => ({ search: { ...s.search, scope } }));
  },
  async runSearch() {
    const { search, viewBbox, viewCentre } = get();
    const text = search.query.trim();
    if (!text) {
      get().clearSearch();
      return;
    }
    const signal = nextSearchSignal();
    set((s) => ({ search: { ...s.search, status: 'loading', error: null } }));
    try {
      // "all": no bbox, so that name search covers every imported area, not only Chongqing
      const bbox = search.scope === 'view' && viewBbox ? viewBbox : undefined;
      // most relevant first (exact, prefix, contains), then nearest to the middle of the view
      const near: [number, number] = [viewCentre[0], viewCentre[1]];
      const fc = await api.facilities({ bbox, categories: CATEGORY_IDS, text, near, limit: SEARCH_LIMIT }, signal);
      set((s) => ({ search: { ...s.search, status: 'ready', results: fc.features, truncated: !!fc.truncated } }));
    } catch (e) {
      if (isAbort(e)) return;
      set((s) => ({ search: { ...s.search, status: 'error', results: [], truncated: false, error: toUiError(e) } }));
    }
  },
  clearSearch() {
    nextSearchSignal();
    set((s) => ({ search: { ...s.search, query: '', status: 'idle', results: [], truncated: false, error: null } }));
  },

  setPicking(picking) {
    set((s) => ({ nearby: { ...s.nearby, picking } }));
  },
  async nearbyAt(point, origin) {
    set((s) => ({
      panel: 'nearby',
      drawerOpen: false,
      selectedId: null,
      selectedFeature: null,
      nearby: { ...s.nearby, point, origin },
    }));
    await get().refreshNearby();
  },
  locateMe() {
    if (!('geolocation' in navigator)) {
      set((s) => ({ panel: 'nearby', nearby: { ...s.nearby, status: 'error', error: { key: 'geoUnsupported' } } }));
      return;
    }
    nextNearbySignal();
    set((s) => ({ panel: 'nearby', nearby: { ...s.nearby, status: 'locating', error: null } }));
    navigator.geolocation.getCurrentPosition(
      (pos) => void get().nearbyAt([pos.coords.longitude, pos.coords.latitude], 'gps'),
      (err) =>
        set((s) => ({
          nearby: { ...s.nearby, status: 'error', error: { key: err.code === err.PERMISSION_DENIED ? 'geoDenied' : 'geoUnavailable' } },
        })),
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 60_000 },
    );
  },
  async refreshNearby() {
    const { nearby, categories } = get();
    if (!nearby.point) return;
    const signal = nextNearbySignal();
    if (categories.length === 0) {
      set((s) => ({ nearby: { ...s.nearby, status: 'ready', results: [], error: { key: 'nearbyNoCategories' } } }));
      return;
    }
    set((s) => ({ nearby: { ...s.nearby, status: 'loading', error: null } }));
    try {
      const fc = await api.nearby({ point: nearby.point, categories, limit: NEARBY_LIMIT }, signal);
      set((s) => ({ nearby: { ...s.nearby, status: 'ready', results: fc.features } }));
    } catch (e) {
      if (isAbort(e)) return;
      set((s) => ({ nearby: { ...s.nearby, status: 'error', results: [], error: toUiError(e) } }));
    }
  },

  async loadList() {
    const { viewBbox, categories } = get();
    const signal = nextListSignal();
    if (!viewBbox) return;
    if (categories.length === 0) {
      set({ list: { status: 'ready', features: [], truncated: false, error: null } });
      return;
    }
    set((s) => ({ list: { ...s.list, status: 'loading', error: null } }));
    try {
      const fc = await api.facilities({ bbox: viewBbox, categories, limit: LIST_LIMIT }, signal);
      set({ list: { status: 'ready', features: fc.features, truncated: !!fc.truncated, error: null } });
    } catch (e) {
      if (isAbort(e)) return;
      set({ list: { status: 'error', features: [], truncated: false, error: toUiError(e) } });
    }
  },

  setPlanner(planner) {
    // the resident panels and the near-me picking give way to the planner
    // (on phones the planner lives in the drawer, so opening it opens the drawer)
    set((s) => ({
      planner,
      drawerOpen: planner,
      panel: planner ? null : s.panel,
      selectedId: null,
      selectedFeature: null,
      nearby: { ...s.nearby, picking: false },
    }));
  },
}));

// <html lang> and the title follow the language.
function applyDocumentLang(lang: Lang) {
  if (typeof document !== 'undefined') document.documentElement.lang = langTag(lang); // absent in Node unit tests
}
applyDocumentLang(useAtlas.getState().lang);
useAtlas.subscribe((s, prev) => {
  if (s.lang !== prev.lang) applyDocumentLang(s.lang);
});
