/**
 * The one owner of the MapLibre map. It creates the map once (kept in a ref, never in the
 * store), adds every source and layer in one place (`addAtlasLayers`), and afterwards only
 * follows the store: `setFilter` for categories and highlights, `setData` once for the
 * districts, `flyTo` for fly requests, a marker for the near-me point. Map events write
 * back to the store (view bounds, clicks).
 *
 * Loaded with React.lazy from App, so the page shell (header, search, filters, list view)
 * shows and works before MapLibre's ~250 kB gzip has been parsed — and still works when
 * the browser has no WebGL.
 */
import { createContext, useEffect, useRef, useState, type ReactNode } from 'react';
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, LayerSpecification, Map as MapLibreMap, MapMouseEvent, StyleSpecification } from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { DistrictFeature, FeatureCollection, LngLat } from '../../../core/api';
import { api, facilityTileUrl, type Bbox } from '../api';
import { getJson } from '../http';
import { useAtlas, INITIAL_CENTRE, INITIAL_ZOOM } from '../store';
import { routeMapClick } from '../routes/mapClick';
import { toolsMapClick } from '../editor/mapClick';
import { mapLibreLocale, translate, type Lang } from '../i18n';
import { useT } from '../hooks';
import { allCategoryIcons, ICON_PIXEL_RATIO } from './icons';
import {
  basemapStyleUrl,
  categoryFilter,
  districtLabelLayer,
  districtLabelPoints,
  districtLabelSource,
  districtLabelText,
  districtLayers,
  districtSource,
  facilityLayers,
  facilityCountOf,
  facilityIdOf,
  facilitySource,
  highlightFilter,
  LAYER_FACILITIES,
  LAYER_FACILITY_HALO,
  labelLanguageChanges,
  LAYER_DISTRICT_LABELS,
  LOCAL_IDEOGRAPH_FONT_FAMILY,
  SOURCE_DISTRICT_LABELS,
  SOURCE_DISTRICTS,
  SOURCE_FACILITIES,
  withGlyphs,
} from './style';

maplibregl.setWorkerUrl(workerUrl);
// `pmtiles://…` sources (BASEMAP_PMTILES): the archive is read by HTTP range requests.
maplibregl.addProtocol('pmtiles', new Protocol().tile);

/**
 * The hook point for overlays that draw on the atlas's map (the planner's deck.gl layers):
 * children of `<AtlasMap>` get the map once it has loaded (null before), add their own
 * layers or controls to it and remove them on unmount. The map stays owned here; overlays
 * never create or move it except through their own controls.
 */
export const AtlasMapContext = createContext<MapLibreMap | null>(null);

/**
 * Chongqing municipality with a margin: the map does not wander off to elsewhere. Widened
 * to the data held (an imported city elsewhere) by client/src/extents/GoToArea.tsx.
 */
const MAX_BOUNDS: [number, number, number, number] = [103.5, 27.0, 112.0, 33.5];
/** Roughly what the opening view shows, for the list view when there is no map. */
const FALLBACK_VIEW: Bbox = [106.56, 29.548, 106.595, 29.568];
/** Debounce of view-bounds updates after the map stops moving. */
const VIEW_DEBOUNCE_MS = 250;
/** Near-me results kept in sight after a query: the point and this many closest. */
const NEARBY_FIT_COUNT = 5;
/** Tap tolerance around a click when looking for a marker, px. */
const HIT_TOLERANCE_PX = 8;

type MapStatus = 'loading' | 'ready' | 'error' | 'nowebgl';

/** How long an online basemap style may take before our own basemap is used instead. */
const ONLINE_STYLE_TIMEOUT_MS = 4000;

/** A transparent 1×1 image: the icon of a basemap POI kind the sprite sheet lacks. */
const NO_ICON = { width: 1, height: 1, data: new Uint8Array(4) };

interface BaseStyle {
  style: StyleSpecification;
  /** Our own basemap (language-following labels, OSM credit in its source) vs an online style. */
  ours: boolean;
}

async function fetchStyle(url: string, signal: AbortSignal): Promise<StyleSpecification> {
  return getJson<StyleSpecification>(url, {}, signal);
}

/**
 * The base style: the online one (BASEMAP_STYLE_URL) when configured and reachable in
 * time, otherwise our own basemap for the UI language. Either gets a `glyphs` URL for the
 * district names.
 */
async function loadBaseStyle(lang: Lang, signal: AbortSignal): Promise<BaseStyle> {
  const { origin } = window.location;
  try {
    const { basemapStyleUrl: online } = await api.config(signal);
    if (online)
      return {
        style: withGlyphs(await fetchStyle(online, AbortSignal.any([signal, AbortSignal.timeout(ONLINE_STYLE_TIMEOUT_MS)])), origin),
        ours: false,
      };
  } catch (e) {
    if (signal.aborted) throw e;
    console.warn('online basemap unavailable, using the built-in one', e);
  }
  return { style: withGlyphs(await fetchStyle(basemapStyleUrl(lang), signal), origin), ours: true };
}

/**
 * Every source, image and layer of ours, added once when the style has loaded. Under our
 * basemap the district fill goes just above its background (the basemap's land covers it
 * where there is data); outlines, markers and district names go on top of everything.
 */
function addAtlasLayers(map: MapLibreMap, ours: boolean, lang: Lang): void {
  for (const { id, data } of allCategoryIcons(lang)) {
    if (!map.hasImage(id)) map.addImage(id, data, { pixelRatio: ICON_PIXEL_RATIO });
  }
  map.addSource(SOURCE_DISTRICTS, districtSource({ type: 'FeatureCollection', features: [] }));
  map.addSource(SOURCE_DISTRICT_LABELS, districtLabelSource());
  const [fill, line] = districtLayers(!ours);
  const baseLayers = map.getStyle().layers;
  const aboveBackground = ours ? baseLayers.find((_l, i) => i > 0 && baseLayers[i - 1].type === 'background')?.id : undefined;
  map.addLayer(fill, aboveBackground);
  map.addLayer(line);
  map.addSource(SOURCE_FACILITIES, facilitySource(facilityTileUrl()));
  for (const layer of facilityLayers()) map.addLayer(layer);
  // Names on top: placed before the markers, which may still draw under them.
  map.addLayer(districtLabelLayer(lang));
}

/** Turns our basemap's labels to `lang`: only the label layers' layout changes, nothing is re-added. */
async function setBasemapLanguage(map: MapLibreMap, lang: Lang, signal: AbortSignal): Promise<void> {
  const next = await fetchStyle(basemapStyleUrl(lang), signal);
  if (signal.aborted) return;
  const current = map.getStyle().layers as LayerSpecification[];
  for (const c of labelLanguageChanges(current, next.layers))
    map.setLayoutProperty(
      c.layer,
      c.property as Parameters<MapLibreMap['setLayoutProperty']>[1],
      c.value as Parameters<MapLibreMap['setLayoutProperty']>[2],
    );
}

function boundsOf(map: MapLibreMap): Bbox {
  const b = map.getBounds();
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
}

/**
 * The part of the map an open panel covers, as padding: the desktop side panel covers
 * the right edge, the phone bottom sheet the bottom edge. Camera moves use it so their
 * target is not hidden under the panel.
 */
function overlayPadding(map: MapLibreMap): { top: number; right: number; bottom: number; left: number } {
  const none = { top: 0, right: 0, bottom: 0, left: 0 };
  const panel = document.querySelector<HTMLElement>('[data-map-overlay]');
  if (!panel) return none;
  const m = map.getContainer().getBoundingClientRect();
  const p = panel.getBoundingClientRect();
  const overlapW = Math.max(0, Math.min(m.right, p.right) - Math.max(m.left, p.left));
  const overlapH = Math.max(0, Math.min(m.bottom, p.bottom) - Math.max(m.top, p.top));
  if (overlapW === 0 || overlapH === 0) return none;
  // A sheet spans (nearly) the whole width; a side panel does not.
  if (overlapW > m.width * 0.8) return { ...none, bottom: m.bottom - p.top };
  return { ...none, right: m.right - p.left };
}

/** Where to aim a fly-to so the target lands in the middle of the uncovered map. */
function panelOffset(map: MapLibreMap): [number, number] {
  const pad = overlayPadding(map);
  return [-pad.right / 2, -pad.bottom / 2];
}

/** Reports the map's bounds and centre to the store. */
function reportView(m: MapLibreMap): void {
  const c = m.getCenter();
  useAtlas.getState().setView(boundsOf(m), [c.lng, c.lat]);
}

/** {@link reportView} once the map has stopped moving for {@link VIEW_DEBOUNCE_MS}. */
function debouncedViewReport(): { report: (m: MapLibreMap) => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    report: (m) => {
      clearTimeout(timer);
      timer = setTimeout(() => reportView(m), VIEW_DEBOUNCE_MS);
    },
    cancel: () => clearTimeout(timer),
  };
}

/** The map on `container` with our camera limits and controls' behaviour; null when the browser cannot draw it (no WebGL). */
function createMap(container: HTMLElement, style: StyleSpecification, lang: Lang): MapLibreMap | null {
  let m: MapLibreMap;
  try {
    m = new maplibregl.Map({
      container,
      style,
      center: INITIAL_CENTRE,
      zoom: INITIAL_ZOOM,
      minZoom: 6,
      maxZoom: 18,
      maxBounds: MAX_BOUNDS,
      attributionControl: false,
      localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
      keyboard: true,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      locale: mapLibreLocale(lang),
    });
  } catch (e) {
    console.warn('map unavailable', e);
    return null;
  }
  // The Protomaps POI layer asks for an icon per kind; the v4 sheet has none for some
  // (museum, attraction, …): those names are drawn without an icon.
  m.setMissingStyleImageResolver((id) => {
    if (!m.hasImage(id)) m.addImage(id, NO_ICON);
  });
  m.touchZoomRotate.disableRotation();
  m.keyboard.disableRotation();
  return m;
}

/** Without a map the list view is the way in: open it on the opening view. */
function openListWithoutMap(): void {
  const s = useAtlas.getState();
  s.setView(FALLBACK_VIEW, INITIAL_CENTRE);
  if (s.panel !== 'list') s.togglePanel('list');
}

/** Fills the district outlines and name points once the districts have loaded. */
function fillDistricts(m: MapLibreMap, districts: Promise<FeatureCollection<DistrictFeature>>, signal: AbortSignal): void {
  districts.then(
    (fc) => {
      if (signal.aborted) return;
      (m.getSource(SOURCE_DISTRICTS) as GeoJSONSource | undefined)?.setData(fc as unknown as GeoJSON.FeatureCollection);
      (m.getSource(SOURCE_DISTRICT_LABELS) as GeoJSONSource | undefined)?.setData(districtLabelPoints(fc.features));
    },
    (e: unknown) => {
      if (!signal.aborted) console.warn('districts unavailable', e);
    },
  );
}

/**
 * A click on the map, to whoever is waiting for one: a tool picking a point, the planner,
 * the route panel picking home, near-me picking; otherwise it selects the facility under
 * it (or zooms in on a group of them).
 */
function onMapClick(m: MapLibreMap, e: MapMouseEvent): void {
  const s = useAtlas.getState();
  if (toolsMapClick([e.lngLat.lng, e.lngLat.lat])) return; // a tool (feedback, editor) is picking a point
  if (s.planner) return; // the planner's overlay handles clicks in planner mode
  if (routeMapClick([e.lngLat.lng, e.lngLat.lat])) return; // the route panel picks home
  if (s.nearby.picking) {
    void s.nearbyAt([e.lngLat.lng, e.lngLat.lat], 'map');
    return;
  }
  const { x, y } = e.point;
  const hits = m.getLayer(LAYER_FACILITIES)
    ? m.queryRenderedFeatures(
        [
          [x - HIT_TOLERANCE_PX, y - HIT_TOLERANCE_PX],
          [x + HIT_TOLERANCE_PX, y + HIT_TOLERANCE_PX],
        ],
        { layers: [LAYER_FACILITIES] },
      )
    : [];
  // a group of facilities (tiles below z15): zoom in on it rather than pick one
  if (hits[0] && facilityCountOf(hits[0]) > 1) {
    m.easeTo({ center: e.lngLat, zoom: Math.min(m.getZoom() + 2, 15) });
    return;
  }
  const id = hits[0] ? facilityIdOf(hits[0]) : null;
  if (id !== null) s.selectFacility(id);
}

/** Right-click, or long-press on touch screens: "what is near here?" without the mode. */
function onMapContextMenu(e: MapMouseEvent): void {
  e.preventDefault();
  if (useAtlas.getState().planner) return;
  void useAtlas.getState().nearbyAt([e.lngLat.lng, e.lngLat.lat], 'map');
}

/** A pointer over a facility marker shows that it can be clicked. */
function onMapMouseMove(m: MapLibreMap, e: MapMouseEvent): void {
  if (useAtlas.getState().nearby.picking || useAtlas.getState().planner || !m.getLayer(LAYER_FACILITIES)) return;
  const over = m.queryRenderedFeatures(e.point, { layers: [LAYER_FACILITIES] }).length > 0;
  m.getCanvas().style.cursor = over ? 'pointer' : '';
}

/** Map events that write back to the store: view bounds, clicks, hover, and a style that fails before load. */
function wireMapEvents(m: MapLibreMap, onMoveEnd: () => void, setStatus: (s: MapStatus) => void): void {
  m.on('moveend', onMoveEnd);
  m.on('error', (e) => {
    // Tile errors are not fatal (the other tiles still draw); a style that fails
    // before the map has loaded is.
    if (!m.loaded() && !m.isStyleLoaded()) setStatus('error');
    console.warn('map error', e.error?.message ?? e);
  });
  m.on('click', (e: MapMouseEvent) => onMapClick(m, e));
  m.on('contextmenu', onMapContextMenu);
  m.on('mousemove', (e: MapMouseEvent) => onMapMouseMove(m, e));
}

export default function AtlasMap({ children }: { children?: ReactNode } = {}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  /** Our own basemap (true) or an online style (false); null until the style is chosen. */
  const oursRef = useRef<boolean | null>(null);
  /** The language the basemap's labels are in. */
  const basemapLangRef = useRef<Lang | null>(null);
  const controlsRef = useRef<maplibregl.IControl[]>([]);
  const pointMarkerRef = useRef<maplibregl.Marker | null>(null);
  const numberMarkersRef = useRef<maplibregl.Marker[]>([]);
  const [status, setStatus] = useState<MapStatus>('loading');
  const t = useT();

  const lang = useAtlas((s) => s.lang);
  const demo = useAtlas((s) => !!s.health?.demo);
  const osm = useAtlas((s) => !!s.health?.osm);
  const categories = useAtlas((s) => s.categories);
  const selectedId = useAtlas((s) => s.selectedId);
  const hoveredId = useAtlas((s) => s.hoveredId);
  const flyRequest = useAtlas((s) => s.flyRequest);
  const nearbyPoint = useAtlas((s) => s.nearby.point);
  const nearbyResults = useAtlas((s) => s.nearby.results);
  const picking = useAtlas((s) => s.nearby.picking);
  const planner = useAtlas((s) => s.planner);

  // Create the map once: choose the base style, make the map, add our layers when it has
  // loaded, and wire its events (the steps are the functions above).
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const abort = new AbortController();
    let map: MapLibreMap | null = null;
    const view = debouncedViewReport();
    const districtsPromise = api.districts(abort.signal);
    // Don't let an early failure surface as an unhandled rejection before it is awaited.
    districtsPromise.catch(() => undefined);

    void (async () => {
      const { lang } = useAtlas.getState();
      let base: BaseStyle;
      try {
        base = await loadBaseStyle(lang, abort.signal);
      } catch (e) {
        if (abort.signal.aborted) return;
        console.warn('basemap style unavailable', e);
        setStatus('error');
        return;
      }
      if (abort.signal.aborted) return;
      const { style, ours } = base;
      oursRef.current = ours;
      basemapLangRef.current = lang;
      map = createMap(container, style, lang);
      if (!map) {
        setStatus('nowebgl');
        openListWithoutMap();
        return;
      }
      const m = map;
      mapRef.current = m;
      if (navigator.webdriver) (window as unknown as { __atlasMap?: MapLibreMap }).__atlasMap = m;

      m.on('load', () => {
        addAtlasLayers(m, ours, lang);
        m.setFilter(LAYER_FACILITIES, categoryFilter(useAtlas.getState().categories));
        fillDistricts(m, districtsPromise, abort.signal);
        setStatus('ready');
        reportView(m);
      });
      wireMapEvents(m, () => view.report(m), setStatus);
    })();

    return () => {
      abort.abort();
      view.cancel();
      oursRef.current = null;
      basemapLangRef.current = null;
      pointMarkerRef.current?.remove();
      pointMarkerRef.current = null;
      for (const m of numberMarkersRef.current) m.remove();
      numberMarkersRef.current = [];
      controlsRef.current = [];
      map?.remove();
      mapRef.current = null;
      if (navigator.webdriver) delete (window as unknown as { __atlasMap?: MapLibreMap }).__atlasMap;
    };
  }, []);

  // Controls and the canvas label follow the language (MapLibre reads its UI strings
  // when a control is added, so the controls are re-added).
  useEffect(() => {
    const map = mapRef.current;
    if (!map || status !== 'ready') return;
    map._locale = { ...map._locale, ...mapLibreLocale(lang) };
    for (const c of controlsRef.current) map.removeControl(c);
    const credits = [translate(lang, 'attributionDistricts')];
    if (demo) credits.push(translate(lang, 'attributionSample'));
    // ODbL 1.0 requires the credit wherever OpenStreetMap data is shown. Our basemap's
    // source carries "© OpenStreetMap contributors" itself (shown while it is drawn);
    // over an online basemap, OSM facilities need it here.
    if (osm && !oursRef.current) credits.push(translate(lang, 'attributionOsm'));
    const controls: maplibregl.IControl[] = [
      new maplibregl.NavigationControl({ showCompass: false }),
      new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 100 }),
      // compact (an ⓘ button) on narrow maps such as a phone's; open on wider ones
      new maplibregl.AttributionControl({ customAttribution: credits }),
    ];
    // Top-left: the results panel floats at the right on desktop.
    map.addControl(controls[0], 'top-left');
    map.addControl(controls[1], 'bottom-left');
    map.addControl(controls[2], 'bottom-right');
    // On a narrow map (a phone) the credits start folded behind their ⓘ button.
    map.getContainer().querySelector('.maplibregl-ctrl-attrib.maplibregl-compact')?.classList.remove('maplibregl-compact-show');
    controlsRef.current = controls;
    map.getCanvas().setAttribute('aria-label', translate(lang, 'mapCanvas'));
    if (map.getLayer(LAYER_DISTRICT_LABELS)) map.setLayoutProperty(LAYER_DISTRICT_LABELS, 'text-field', districtLabelText(lang));
  }, [lang, demo, osm, status]);

  // The marker badges follow the language (游 in Chinese, Pg in English): same ids, same size.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || status !== 'ready') return;
    for (const { id, data } of allCategoryIcons(lang)) if (map.hasImage(id)) map.updateImage(id, data);
  }, [lang, status]);

  // Our basemap's street, place and POI names follow the language.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || status !== 'ready' || !oursRef.current || basemapLangRef.current === lang) return;
    const abort = new AbortController();
    setBasemapLanguage(map, lang, abort.signal).then(
      () => {
        if (!abort.signal.aborted) basemapLangRef.current = lang;
      },
      (e: unknown) => {
        if (!abort.signal.aborted) console.warn('basemap labels stay in the previous language', e);
      },
    );
    return () => abort.abort();
  }, [lang, status]);

  // Category filter: a layer filter, no refetch.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || status !== 'ready') return;
    map.setFilter(LAYER_FACILITIES, categoryFilter(categories));
  }, [categories, status]);

  // Planner mode: the planner draws the facilities of its scenario (existing, proposed,
  // removed), so the resident markers step aside.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || status !== 'ready') return;
    for (const id of [LAYER_FACILITIES, LAYER_FACILITY_HALO])
      if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', planner ? 'none' : 'visible');
    if (!planner) map.getCanvas().style.cursor = '';
  }, [planner, status]);

  // Ring under the selected and hovered facilities.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || status !== 'ready') return;
    const ids = [selectedId, hoveredId].filter((v): v is number => v !== null);
    map.setFilter(LAYER_FACILITY_HALO, highlightFilter(ids));
  }, [selectedId, hoveredId, status]);

  // Fly requests from lists and search.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || status !== 'ready' || !flyRequest) return;
    map.flyTo({ center: flyRequest.center, zoom: Math.max(map.getZoom(), 15), offset: panelOffset(map), essential: false });
  }, [flyRequest, status]);

  // The near-me query point.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || status !== 'ready') return;
    if (!nearbyPoint) {
      pointMarkerRef.current?.remove();
      pointMarkerRef.current = null;
      return;
    }
    if (!pointMarkerRef.current) {
      const el = document.createElement('div');
      el.className = 'nearby-point';
      el.setAttribute('role', 'img');
      pointMarkerRef.current = new maplibregl.Marker({ element: el, anchor: 'center' });
      pointMarkerRef.current.setLngLat(nearbyPoint as LngLat).addTo(map);
    } else {
      pointMarkerRef.current.setLngLat(nearbyPoint as LngLat);
    }
    pointMarkerRef.current.getElement().setAttribute('aria-label', translate(lang, 'nearbyPointMarker'));
  }, [nearbyPoint, status, lang]);

  // Near-me results numbered on the map as in the list (1 = closest), beside their marker.
  useEffect(() => {
    const map = mapRef.current;
    for (const m of numberMarkersRef.current) m.remove();
    numberMarkersRef.current = [];
    if (!map || status !== 'ready' || !nearbyPoint) return;
    numberMarkersRef.current = nearbyResults.map((f, i) => {
      const el = document.createElement('div');
      el.className = 'nearby-number';
      el.textContent = String(i + 1);
      el.dataset.facilityId = String(f.id);
      el.setAttribute('aria-hidden', 'true'); // the numbered list is the accessible version
      return new maplibregl.Marker({ element: el, anchor: 'bottom-left', offset: [6, -6] })
        .setLngLat(f.geometry.coordinates as LngLat)
        .addTo(map);
    });
  }, [nearbyResults, nearbyPoint, status]);

  // New near-me results: make sure the point and the closest few are in sight.
  useEffect(() => {
    const map = mapRef.current;
    const point = useAtlas.getState().nearby.point;
    if (!map || status !== 'ready' || !point || nearbyResults.length === 0) return;
    const closest = nearbyResults.slice(0, NEARBY_FIT_COUNT).map((f) => f.geometry.coordinates);
    const bounds = new maplibregl.LngLatBounds(point, point);
    for (const c of closest) bounds.extend(c);
    const pad = overlayPadding(map);
    const view = map.getContainer().getBoundingClientRect();
    const visible = (c: LngLat) => {
      const p = map.project(c);
      return p.x >= 24 && p.y >= 24 && p.x <= view.width - pad.right - 24 && p.y <= view.height - pad.bottom - 24;
    };
    if ([point, ...closest].every(visible)) return;
    map.fitBounds(bounds, {
      padding: { top: 48, left: 48, right: pad.right + 48, bottom: pad.bottom + 48 },
      maxZoom: 16,
      essential: false,
    });
  }, [nearbyResults, status]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: status is the trigger: mapRef.current exists once the map has loaded
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    map.getCanvas().style.cursor = picking ? 'crosshair' : '';
  }, [picking, status]);

  return (
    <>
      <div ref={containerRef} className="map-canvas-host" />
      {status === 'loading' && <p className="map-status">{t('mapLoading')}</p>}
      {status === 'error' && <p className="map-status map-status--error">{t('mapError')}</p>}
      {status === 'nowebgl' && <p className="map-status map-status--error">{t('mapNoWebgl')}</p>}
      {picking && status === 'ready' && <p className="map-hint">{t('mapPickHint')}</p>}
      <AtlasMapContext.Provider value={status === 'ready' ? mapRef.current : null}>{children}</AtlasMapContext.Provider>
    </>
  );
}
