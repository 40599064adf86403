/**
 * The atlas page: header and toolbar; a sidebar with search and category filters (a
 * drawer on phones); the map; and the results panel (list view, near me, details).
 *
 * The map component is lazy: the shell, search, filters and list view render and work
 * before MapLibre is parsed (and without WebGL). Later planner views (deck.gl) will be
 * further `React.lazy` imports, so none of them weighs on the first load.
 */
import { lazy, Suspense, useEffect } from 'react';
import { api } from './api';
import { useAtlas } from './store';
import { useT } from './hooks';
import { restoreFocus } from './focus';
import { Header } from './components/Header';
import { SearchPanel } from './components/SearchPanel';
import { CategoryFilter } from './components/CategoryFilter';
import { ResultsPanel } from './components/ResultsPanel';
import { CloseIcon } from './components/Icons';
import { closeRoutes, useRoutes } from './routes/store';
import { MapOverlays, ToolsHost } from './editor/ToolsHost';

const AtlasMap = lazy(() => import('./map/AtlasMap'));
// The planner (issue #4): its panel, its deck.gl map layers and its worker are separate
// chunks, fetched the first time the planner is opened.
const PlannerPanel = lazy(() => import('./planner/PlannerPanel'));
const PlannerLayers = lazy(() => import('./planner/PlannerLayers'));
const GoToArea = lazy(() => import('./extents/GoToArea'));
// Route to school (issue #6): the panel and its map overlay, fetched when first opened.
const RoutePanel = lazy(() => import('./routes/RoutePanel'));
const RouteLayers = lazy(() => import('./routes/RouteLayers'));

function closeDetails() {
  const id = useAtlas.getState().selectedId;
  useAtlas.getState().closeDetails();
  // After React has shown the list again, return focus to the item (or the panel).
  requestAnimationFrame(() => restoreFocus(id !== null ? `[data-facility-id="${id}"]` : '#results-panel h2'));
}

function closePanel() {
  const panel = useAtlas.getState().panel;
  useAtlas.getState().closePanel();
  requestAnimationFrame(() => document.getElementById(panel === 'list' ? 'list-toggle' : 'nearby-toggle')?.focus());
}

function closeDrawer() {
  useAtlas.getState().setDrawerOpen(false);
  requestAnimationFrame(() => document.getElementById('filters-toggle')?.focus());
}

export function App() {
  const t = useT();
  const drawerOpen = useAtlas((s) => s.drawerOpen);
  const planner = useAtlas((s) => s.planner);
  const routesOpen = useRoutes((s) => s.open);

  useEffect(() => {
    document.title = t('appTitle');
  }, [t]);

  useEffect(() => {
    const ac = new AbortController();
    api.health(ac.signal).then(
      (h) => useAtlas.getState().setHealth(h),
      () => undefined,
    );
    return () => ac.abort();
  }, []);

  // Esc closes the topmost thing: details, then the panel, then the phone drawer.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const s = useAtlas.getState();
      if (s.selectedId !== null) closeDetails();
      else if (s.panel) closePanel();
      else if (useRoutes.getState().open) {
        closeRoutes();
        requestAnimationFrame(() => document.getElementById('route-toggle')?.focus());
      } else if (s.drawerOpen) closeDrawer();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="app">
      <Header />
      <div className={planner ? 'app-body app-body--planner' : 'app-body'}>
        <aside id="sidebar" className={drawerOpen ? 'sidebar sidebar--open' : 'sidebar'} aria-label={t('sidebarLabel')}>
          <div className="drawer-head only-phone">
            <span className="drawer-head__title">{t('sidebarLabel')}</span>
            <button type="button" className="icon-button" onClick={closeDrawer} aria-label={t('closeFilters')}>
              <CloseIcon />
            </button>
          </div>
          {planner ? (
            <Suspense fallback={<p className="status-line">{t('plannerLoading')}</p>}>
              <PlannerPanel onClose={() => useAtlas.getState().setPlanner(false)} />
            </Suspense>
          ) : (
            <>
              <SearchPanel />
              <CategoryFilter />
            </>
          )}
        </aside>
        <main className="map-area">
          <div className="map-region" role="region" aria-label={t('mapRegion')}>
            <Suspense fallback={<p className="map-status">{t('mapLoading')}</p>}>
              <AtlasMap>
                {planner && (
                  <Suspense fallback={null}>
                    <PlannerLayers />
                  </Suspense>
                )}
                {routesOpen && (
                  <Suspense fallback={null}>
                    <RouteLayers />
                  </Suspense>
                )}
                <Suspense fallback={null}>
                  <MapOverlays />
                </Suspense>
                <Suspense fallback={null}>
                  <GoToArea />
                </Suspense>
              </AtlasMap>
            </Suspense>
          </div>
          {!planner && <ResultsPanel onCloseDetails={closeDetails} onClosePanel={closePanel} />}
          {routesOpen && (
            <Suspense fallback={null}>
              <RoutePanel />
            </Suspense>
          )}
          <ToolsHost />
        </main>
      </div>
    </div>
  );
}
