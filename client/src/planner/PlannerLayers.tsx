/**
 * The planner's map layers: deck.gl through `@deck.gl/mapbox`'s MapboxOverlay, added as a
 * control to the atlas's own MapLibre map (AtlasMapContext — the map keeps one owner).
 *
 * Layers, each with a stable id, created once per render from stable data and toggled with
 * `visible` rather than re-created:
 * - `planner-cells`: each population cell's grid square (SolidPolygonLayer, binary data),
 *   coloured served / unserved / straight-line-only / no network access; the squares are
 *   built once per area, the colours only when the coverage arrays change;
 * - `planner-gaps`: the dissolved gap polygons, red outline;
 * - `planner-rings`: the service distance around proposed sites;
 * - `planner-facilities`: existing (category colour), proposed (blue) and removed (grey,
 *   red outline) facilities — pickable: a click selects one;
 * - `planner-suggestion`: the suggested next site and its service distance.
 *
 * Clicks on the map belong to the planner in planner mode (AtlasMap steps aside): on a
 * facility they select it, elsewhere they propose a new facility there.
 */
import { useContext, useEffect, useMemo, useRef } from 'react';
import { MapboxOverlay } from '@deck.gl/mapbox';
import { GeoJsonLayer, ScatterplotLayer, SolidPolygonLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { categoryById } from '../../../core/catalogue';
import { AtlasMapContext } from '../map/AtlasMap';
import { LAYER_DISTRICT_LINE } from '../map/style';
import { useAtlas } from '../store';
import { hexRgba, PLANNER_COLOURS as C } from './colours';
import { cellColours, cellSquares } from './cells';
import { plannerText } from './messages';
import { plannerView, usePlanner } from './store';

interface FacilityDatum {
  index: number;
  lng: number;
  lat: number;
  kind: 'existing' | 'proposed' | 'removed';
}

const PICK_RADIUS_PX = 8;

/**
 * MapLibre 6 moved the camera's transform from `map.transform` to `map._camera.transform`;
 * @deck.gl/mapbox 9.4's interleaved renderer still reads `map.transform.height` (and
 * `_nearZ`/`_farZ`/`elevation`). A read-only alias keeps interleaved drawing — deck's
 * layers between the district fill and the district outlines — working. Returns false
 * when neither exists, and the overlay then draws in its own canvas on top (overlaid mode).
 */
function aliasTransform(map: MapLibreMap): boolean {
  const m = map as unknown as { transform?: unknown; _camera?: { transform?: unknown } };
  if (m.transform) return true;
  if (!m._camera?.transform) return false;
  Object.defineProperty(map, 'transform', {
    configurable: true,
    get: () => (map as unknown as { _camera: { transform: unknown } })._camera.transform,
  });
  return true;
}

export default function PlannerLayers() {
  const map = useContext(AtlasMapContext);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const lang = useAtlas((s) => s.lang);
  const category = usePlanner((s) => s.category);
  const mode = usePlanner((s) => s.mode);
  const summary = usePlanner((s) => s.summary);
  const gaps = usePlanner((s) => s.gaps);
  const cells = usePlanner((s) => s.cells);
  const whatIf = usePlanner((s) => s.whatIf);
  const fitRequest = usePlanner((s) => s.fitRequest);
  const view = useMemo(() => plannerView({ mode, summary, gaps, cells, whatIf }), [mode, summary, gaps, cells, whatIf]);

  // one overlay per map, removed with the planner
  useEffect(() => {
    if (!map) return;
    const overlay = new MapboxOverlay({ interleaved: aliasTransform(map), layers: [] });
    map.addControl(overlay);
    overlayRef.current = overlay;
    if (navigator.webdriver) (window as unknown as { __plannerOverlay?: MapboxOverlay }).__plannerOverlay = overlay;
    return () => {
      overlayRef.current = null;
      map.removeControl(overlay);
      if (navigator.webdriver) delete (window as unknown as { __plannerOverlay?: MapboxOverlay }).__plannerOverlay;
    };
  }, [map]);

  const squares = useMemo(() => (cells ? cellSquares(cells) : null), [cells]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: colours depend on these four arrays of view only; its other fields change without recolouring
  const colours = useMemo(
    () => (cells && view ? cellColours(cells, view) : null),
    [cells, view?.covered, view?.noAccess, view?.primary, view?.secondary],
  );
  const cellData = useMemo(
    () =>
      squares && colours
        ? {
            length: squares.startIndices.length,
            startIndices: squares.startIndices,
            attributes: { getPolygon: { value: squares.positions, size: 2 }, getFillColor: { value: colours, size: 4, normalized: true } },
          }
        : { length: 0, startIndices: new Uint32Array(0), attributes: {} },
    [squares, colours],
  );

  const facilities = useMemo((): FacilityDatum[] => {
    const r = whatIf.result;
    if (r) {
      const out: FacilityDatum[] = [];
      const f = r.facilities;
      for (let i = 0; i < f.count; i++) {
        const kind = f.proposed[i] ? (f.active[i] ? 'proposed' : null) : f.active[i] ? 'existing' : 'removed';
        if (kind) out.push({ index: i, lng: f.lng[i], lat: f.lat[i], kind });
      }
      return out;
    }
    if (!cells) return [];
    return cells.facilities.id.map((_, i) => ({
      index: i,
      lng: cells.facilities.lng[i],
      lat: cells.facilities.lat[i],
      kind: 'existing' as const,
    }));
  }, [whatIf.result, cells]);
  const proposed = useMemo(() => facilities.filter((f) => f.kind === 'proposed'), [facilities]);
  const suggestion = useMemo(() => (whatIf.suggestion ? [whatIf.suggestion] : []), [whatIf.suggestion]);
  const radiusM = summary?.norm.radiusM ?? 300;
  const categoryColour = useMemo(() => hexRgba(categoryById(category).colour), [category]);
  const selected = whatIf.selected;

  const layers = useMemo((): Layer[] => {
    return [
      new SolidPolygonLayer({
        id: 'planner-cells',
        data: cellData as never,
        _normalize: false,
        _windingOrder: 'CCW',
        filled: true,
        extruded: false,
        pickable: false,
        visible: cellData.length > 0,
        beforeId: LAYER_DISTRICT_LINE,
      } as never),
      new GeoJsonLayer({
        id: 'planner-gaps',
        data: { type: 'FeatureCollection', features: view?.gaps ?? [] } as never,
        filled: true,
        stroked: true,
        getFillColor: C.gapFill,
        getLineColor: C.gapLine,
        lineWidthUnits: 'pixels',
        getLineWidth: 2,
        lineJointRounded: true,
        pickable: false,
        visible: (view?.gaps.length ?? 0) > 0,
        beforeId: LAYER_DISTRICT_LINE,
      } as never),
      new ScatterplotLayer<FacilityDatum>({
        id: 'planner-rings',
        data: proposed,
        getPosition: (d) => [d.lng, d.lat],
        getRadius: radiusM,
        radiusUnits: 'meters',
        filled: false,
        stroked: true,
        getLineColor: C.proposedRing,
        lineWidthUnits: 'pixels',
        getLineWidth: 2,
        visible: proposed.length > 0,
        updateTriggers: { getRadius: radiusM },
      }),
      new ScatterplotLayer<{ lng: number; lat: number }>({
        id: 'planner-suggestion',
        data: suggestion,
        getPosition: (d) => [d.lng, d.lat],
        getRadius: 9,
        radiusUnits: 'pixels',
        getFillColor: C.suggested,
        getLineColor: C.suggestedLine,
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 2,
        visible: suggestion.length > 0,
      }),
      new ScatterplotLayer<FacilityDatum>({
        id: 'planner-facilities',
        data: facilities,
        getPosition: (d) => [d.lng, d.lat],
        getRadius: (d) => (d.index === selected ? 10 : d.kind === 'proposed' ? 8 : 6),
        radiusUnits: 'pixels',
        getFillColor: (d) => (d.kind === 'existing' ? categoryColour : d.kind === 'proposed' ? C.proposed : C.removed),
        getLineColor: (d) => (d.kind === 'removed' ? C.removedLine : d.index === selected ? [17, 24, 39, 255] : C.facilityLine),
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: (d) => (d.index === selected || d.kind === 'removed' ? 3 : 2),
        pickable: true,
        visible: facilities.length > 0,
        updateTriggers: { getRadius: selected, getFillColor: categoryColour, getLineColor: selected, getLineWidth: selected },
      }),
    ];
  }, [cellData, view?.gaps, proposed, suggestion, facilities, radiusM, categoryColour, selected]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: map is the trigger: overlayRef.current is created in the effect that runs when map arrives
  useEffect(() => {
    overlayRef.current?.setProps({ layers });
  }, [layers, map]);

  // clicks: select a facility, or propose one here
  useEffect(() => {
    if (!map) return;
    const pick = (x: number, y: number) =>
      overlayRef.current?.pickObject({ x, y, radius: PICK_RADIUS_PX, layerIds: ['planner-facilities'] }) ?? null;
    const onClick = (e: MapMouseEvent) => {
      const s = usePlanner.getState();
      if (s.whatIf.status !== 'ready' || s.whatIf.busy) return;
      const hit = pick(e.point.x, e.point.y);
      if (hit?.object) s.select((hit.object as FacilityDatum).kind === 'removed' ? null : (hit.object as FacilityDatum).index);
      else void s.addAt(e.lngLat.lng, e.lngLat.lat);
    };
    const onMove = (e: MapMouseEvent) => {
      if (usePlanner.getState().whatIf.status !== 'ready') {
        map.getCanvas().style.cursor = '';
        return;
      }
      map.getCanvas().style.cursor = pick(e.point.x, e.point.y) ? 'pointer' : 'crosshair';
    };
    map.on('click', onClick);
    map.on('mousemove', onMove);
    return () => {
      map.off('click', onClick);
      map.off('mousemove', onMove);
      map.getCanvas().style.cursor = '';
    };
  }, [map]);

  // fit the map to a newly chosen area
  useEffect(() => {
    if (!map || !fitRequest) return;
    const [w, s, e, n] = fitRequest.bbox;
    fitTo(map, [w, s, e, n]);
  }, [map, fitRequest]);

  if (!map || whatIf.status !== 'ready') return null;
  return <p className="map-hint planner-map-hint">{plannerText(lang, 'mapHint')}</p>;
}

function fitTo(map: MapLibreMap, [w, s, e, n]: [number, number, number, number]) {
  map.fitBounds(
    [
      [w, s],
      [e, n],
    ],
    { padding: 40, maxZoom: 15, duration: 400, essential: false },
  );
}
