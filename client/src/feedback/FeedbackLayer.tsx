/**
 * Map overlays of the tools, as children of `<AtlasMap>` (AtlasMapContext): the approved
 * feedback pins ("居民建议", a GeoJSON source loaded for the view's bbox from
 * `GET /api/feedback?bbox=`), and the point being picked for a tool (a new pin, a
 * facility's new position). Sources and layers are added once, data changes by `setData`,
 * the switch toggles `visibility`, and everything is removed on unmount. They are
 * MapLibre layers, so they stay on the map in the planner view too.
 */
import { useContext, useEffect } from 'react';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { AtlasMapContext } from '../map/AtlasMap';
import { useTools } from '../editor/tools';
import { getJson } from '../http';

export const SOURCE_FEEDBACK = 'atlas-feedback';
export const LAYER_FEEDBACK = 'atlas-feedback-pins';
const SOURCE_PICK = 'atlas-tool-pick';
const LAYER_PICK = 'atlas-tool-pick';
const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
const RELOAD_DEBOUNCE_MS = 300;

function bboxOf(map: MapLibreMap): string {
  const b = map.getBounds();
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)]
    .map((v) => v.toFixed(5))
    .join(',');
}

export default function FeedbackLayer() {
  const map = useContext(AtlasMapContext);
  const visible = useTools((s) => s.feedbackLayer);
  const seq = useTools((s) => s.feedbackSeq);
  const pickPoint = useTools((s) => s.pick?.point ?? null);

  // Sources and layers, once per map.
  useEffect(() => {
    if (!map) return;
    map.addSource(SOURCE_FEEDBACK, { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: LAYER_FEEDBACK,
      type: 'circle',
      source: SOURCE_FEEDBACK,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 5, 16, 9],
        'circle-color': ['match', ['get', 'status'], 'resolved', '#15803d', '#c2410c'],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    });
    map.addSource(SOURCE_PICK, { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: LAYER_PICK,
      type: 'circle',
      source: SOURCE_PICK,
      paint: { 'circle-radius': 10, 'circle-color': '#7c3aed', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 },
    });
    return () => {
      if (!map.getStyle()) return; // the map itself is gone
      for (const id of [LAYER_PICK, LAYER_FEEDBACK]) if (map.getLayer(id)) map.removeLayer(id);
      for (const id of [SOURCE_PICK, SOURCE_FEEDBACK]) if (map.getSource(id)) map.removeSource(id);
    };
  }, [map]);

  // Approved pins in view, reloaded after moves and after moderation.
  // biome-ignore lint/correctness/useExhaustiveDependencies: seq is the trigger: moderation bumps it so the pins reload
  useEffect(() => {
    if (!map) return;
    map.setLayoutProperty(LAYER_FEEDBACK, 'visibility', visible ? 'visible' : 'none');
    if (!visible) return;
    let ac: AbortController | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      ac?.abort();
      ac = new AbortController();
      const signal = ac.signal;
      getJson<GeoJSON.FeatureCollection>('/api/feedback', { bbox: bboxOf(map), status: 'approved,resolved', limit: 1000 }, signal)
        .then((fc) => {
          if (!signal.aborted) (map.getSource(SOURCE_FEEDBACK) as GeoJSONSource | undefined)?.setData(fc);
        })
        .catch(() => undefined); // a failed reload keeps the pins drawn
    };
    const onMove = () => {
      clearTimeout(timer);
      timer = setTimeout(load, RELOAD_DEBOUNCE_MS);
    };
    load();
    map.on('moveend', onMove);
    return () => {
      clearTimeout(timer);
      ac?.abort();
      map.off('moveend', onMove);
    };
  }, [map, visible, seq]);

  // The point being picked.
  useEffect(() => {
    if (!map) return;
    const data: GeoJSON.FeatureCollection = pickPoint
      ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: pickPoint } }] }
      : EMPTY;
    (map.getSource(SOURCE_PICK) as GeoJSONSource | undefined)?.setData(data);
  }, [map, pickPoint]);

  return null;
}
