/**
 * The route panel's overlay on the atlas map (a child of `<AtlasMap>`, which hands it the
 * map through AtlasMapContext; the map keeps one owner). Adds its sources and layers once,
 * below the facility markers, then only follows the store: `setData` for the route, the
 * school's network and the published routes; HTML markers for home, school and the
 * numbered top unsafe items (each with an accessible label); fits the route in view.
 * Everything is removed on unmount.
 */
import { useContext, useEffect, useRef } from 'react';
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { AtlasMapContext } from '../map/AtlasMap';
import { LAYER_FACILITIES, LAYER_FACILITY_HALO } from '../map/style';
import { useAtlas } from '../store';
import { networkFeatures, planFeatures, routeLayers, routeSources, SRC_NETWORK, SRC_PLAN, SRC_STORED } from './layers';
import { gradeText, routeText } from './messages';
import { useRoutes } from './store';
import './routes.css';

/** Added below the atlas's facility markers when they exist. */
const BEFORE = [LAYER_FACILITY_HALO, LAYER_FACILITIES];

function setData(map: MapLibreMap, id: string, data: GeoJSON.FeatureCollection) {
  (map.getSource(id) as GeoJSONSource | undefined)?.setData(data);
}

function marker(className: string, label: string, text?: string): maplibregl.Marker {
  const el = document.createElement('div');
  el.className = className;
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', label);
  if (text) el.textContent = text;
  return new maplibregl.Marker({ element: el, anchor: 'center' });
}

export default function RouteLayers() {
  const map = useContext(AtlasMapContext);
  const open = useRoutes((s) => s.open);
  const route = useRoutes((s) => s.route.data);
  const network = useRoutes((s) => s.network.data);
  const planner = useRoutes((s) => s.planner);
  const stored = useRoutes((s) => s.stored);
  const home = useRoutes((s) => s.home);
  const school = useRoutes((s) => s.school);
  const picking = useRoutes((s) => s.picking);
  const focusRank = useRoutes((s) => s.focusRank);
  const lang = useAtlas((s) => s.lang);
  const markers = useRef<{ home?: maplibregl.Marker; school?: maplibregl.Marker; top: maplibregl.Marker[] }>({ top: [] });

  // sources and layers: once per map
  useEffect(() => {
    if (!map) return;
    for (const [id, src] of Object.entries(routeSources())) if (!map.getSource(id)) map.addSource(id, src);
    const before = BEFORE.find((id) => map.getLayer(id));
    for (const layer of routeLayers()) if (!map.getLayer(layer.id)) map.addLayer(layer, before);
    return () => {
      if (!map.getStyle()) return;
      for (const layer of routeLayers()) if (map.getLayer(layer.id)) map.removeLayer(layer.id);
      for (const id of Object.keys(routeSources())) if (map.getSource(id)) map.removeSource(id);
      markers.current.home?.remove();
      markers.current.school?.remove();
      for (const m of markers.current.top) m.remove();
      markers.current = { top: [] };
    };
  }, [map]);

  useEffect(() => {
    if (map) setData(map, SRC_PLAN, planFeatures(open ? route : null));
  }, [map, open, route]);
  useEffect(() => {
    if (map) setData(map, SRC_NETWORK, networkFeatures(open && planner ? network : null));
  }, [map, open, planner, network]);
  useEffect(() => {
    if (map) setData(map, SRC_STORED, open && stored ? stored : { type: 'FeatureCollection', features: [] });
  }, [map, open, stored]);

  // home and school markers
  useEffect(() => {
    if (!map) return;
    const m = markers.current;
    const place = (key: 'home' | 'school', at: [number, number] | null, cls: string, label: string) => {
      if (!open || !at) {
        m[key]?.remove();
        m[key] = undefined;
        return;
      }
      if (!m[key]) m[key] = marker(cls, label).setLngLat(at).addTo(map);
      else m[key]!.setLngLat(at);
      m[key]!.getElement().setAttribute('aria-label', label);
    };
    place('home', home, 'route-marker route-marker--home', routeText(lang, 'homeMarker'));
    place(
      'school',
      school?.coordinates ?? null,
      'route-marker route-marker--school',
      `${routeText(lang, 'schoolMarker')}: ${lang === 'en' && school?.name_en ? school.name_en : (school?.name_zh ?? '')}`,
    );
  }, [map, open, home, school, lang]);

  // numbered markers of the most-used unsafe items
  useEffect(() => {
    if (!map) return;
    for (const x of markers.current.top) x.remove();
    markers.current.top = [];
    if (!open || !planner || !network) return;
    for (const u of network.topUnsafe) {
      const label = routeText(lang, 'topMarker', {
        rank: u.rank,
        name: u.name ?? routeText(lang, 'unnamedRoad'),
        children: Math.round(u.children),
        grade: gradeText(u.grade, lang),
      });
      const mk = marker(`route-rank${u.rank === focusRank ? ' route-rank--focus' : ''}`, label, String(u.rank))
        .setLngLat(u.coordinates)
        .addTo(map);
      markers.current.top.push(mk);
    }
  }, [map, open, planner, network, focusRank, lang]);

  // keep the route in sight
  useEffect(() => {
    if (!map || !open || !route) return;
    const b = new maplibregl.LngLatBounds();
    for (const c of route.route.geometry.coordinates) b.extend(c as [number, number]);
    if (route.shortest) for (const c of route.shortest.geometry.coordinates) b.extend(c as [number, number]);
    const panel = document.getElementById('route-panel')?.getBoundingClientRect();
    const box = map.getContainer().getBoundingClientRect();
    const right = panel && panel.width < box.width * 0.8 ? box.right - panel.left : 0;
    const bottom = panel && panel.width >= box.width * 0.8 ? box.bottom - panel.top : 0;
    map.fitBounds(b, { padding: { top: 48, left: 48, right: right + 48, bottom: bottom + 48 }, maxZoom: 17, essential: false });
  }, [map, open, route]);

  useEffect(() => {
    if (!map) return;
    map.getCanvas().style.cursor = open && picking ? 'crosshair' : '';
  }, [map, open, picking]);

  return open && picking && map ? <p className="map-hint">{routeText(lang, 'mapHint')}</p> : null;
}
