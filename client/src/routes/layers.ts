/**
 * MapLibre sources and layers of the route panel, as data (pure): the route (safe route
 * solid, shortest dashed, its crossings), a school's route network (segment width by
 * children, colour *and* line pattern by safety grade — never colour alone), and the
 * published routes. Each layer has a stable id; the overlay adds them once and only
 * `setData`s afterwards.
 */
import type { FeatureCollection } from 'geojson';
import type { ExpressionSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl';
import type { Grade } from '../../../core/routing/safety';
import type { RouteAnswer, SchoolNetworkAnswer } from './api';

export const SRC_PLAN = 'routes-plan';
export const SRC_NETWORK = 'routes-network';
export const SRC_STORED = 'routes-stored';

/** Safety grades: colour and dash pattern together (the panel's legend says which is which). */
export const GRADE_STYLE: Record<Grade, { colour: string; dash: number[] | null }> = {
  safe: { colour: '#15803d', dash: null },
  caution: { colour: '#a16207', dash: [4, 1.5] },
  unsafe: { colour: '#c2410c', dash: [2, 1.5] },
  dangerous: { colour: '#b91c1c', dash: [0.6, 1.2] },
};

/** A feature's colour by its `grade` property (MapLibre expression). */
const GRADE_COLOUR: ExpressionSpecification = [
  'match',
  ['get', 'grade'],
  'safe',
  GRADE_STYLE.safe.colour,
  'caution',
  GRADE_STYLE.caution.colour,
  'unsafe',
  GRADE_STYLE.unsafe.colour,
  GRADE_STYLE.dangerous.colour,
];

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export function routeSources(): Record<string, SourceSpecification> {
  return {
    [SRC_PLAN]: { type: 'geojson', data: EMPTY },
    [SRC_NETWORK]: { type: 'geojson', data: EMPTY },
    [SRC_STORED]: { type: 'geojson', data: EMPTY },
  };
}

export function routeLayers(): LayerSpecification[] {
  const networkLines = (Object.keys(GRADE_STYLE) as Grade[]).map(
    (g): LayerSpecification => ({
      id: `routes-network-${g}`,
      type: 'line',
      source: SRC_NETWORK,
      filter: ['all', ['==', ['geometry-type'], 'LineString'], ['==', ['get', 'grade'], g]],
      layout: { 'line-cap': GRADE_STYLE[g].dash ? 'butt' : 'round', 'line-join': 'round' },
      paint: {
        'line-color': GRADE_STYLE[g].colour,
        'line-opacity': 0.85,
        // width grows with the children who walk the segment
        'line-width': ['interpolate', ['linear'], ['get', 'children'], 0, 1.5, 20, 3, 100, 6, 400, 10],
        ...(GRADE_STYLE[g].dash ? { 'line-dasharray': GRADE_STYLE[g].dash! } : {}),
      },
    }),
  );
  return [
    {
      id: 'routes-stored',
      type: 'line',
      source: SRC_STORED,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#7c3aed', 'line-width': 4, 'line-opacity': 0.7 },
    },
    ...networkLines,
    {
      id: 'routes-network-crossings',
      type: 'circle',
      source: SRC_NETWORK,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['get', 'children'], 0, 3, 50, 6, 300, 11],
        'circle-color': GRADE_COLOUR,
        'circle-stroke-color': '#ffffff',
        // thicker ring for the unsafe ones: a second cue besides colour
        'circle-stroke-width': ['match', ['get', 'grade'], 'unsafe', 3, 'dangerous', 3, 1],
        'circle-opacity': 0.9,
      },
    },
    {
      id: 'routes-shortest',
      type: 'line',
      source: SRC_PLAN,
      filter: ['==', ['get', 'kind'], 'shortest'],
      layout: { 'line-cap': 'butt', 'line-join': 'round' },
      paint: { 'line-color': '#475569', 'line-width': 4, 'line-dasharray': [2, 1.5] },
    },
    {
      id: 'routes-safest-casing',
      type: 'line',
      source: SRC_PLAN,
      filter: ['==', ['get', 'kind'], 'safest'],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': 9 },
    },
    {
      id: 'routes-safest',
      type: 'line',
      source: SRC_PLAN,
      filter: ['==', ['get', 'kind'], 'safest'],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#1d4ed8', 'line-width': 6 },
    },
    {
      id: 'routes-crossings',
      type: 'circle',
      source: SRC_PLAN,
      filter: ['==', ['get', 'kind'], 'crossing'],
      paint: {
        'circle-radius': 6,
        'circle-color': GRADE_COLOUR,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    },
  ];
}

/** The route answer as map features: safe route, shortest (when different) and the safe route's crossings. */
export function planFeatures(r: RouteAnswer | null): FeatureCollection {
  if (!r) return EMPTY;
  const features: FeatureCollection['features'] = [];
  if (r.shortest && !r.comparison?.sameRoute)
    features.push({ type: 'Feature', properties: { kind: 'shortest' }, geometry: r.shortest.geometry });
  features.push({ type: 'Feature', properties: { kind: 'safest' }, geometry: r.route.geometry });
  for (const c of r.route.crossingList)
    features.push({
      type: 'Feature',
      properties: { kind: 'crossing', grade: c.grade, control: c.control },
      geometry: { type: 'Point', coordinates: c.coordinates },
    });
  return { type: 'FeatureCollection', features };
}

/** A school network's segments and crossings as one FeatureCollection. */
export function networkFeatures(n: SchoolNetworkAnswer | null): FeatureCollection {
  if (!n) return EMPTY;
  return { type: 'FeatureCollection', features: [...n.segments.features, ...n.crossings.features] as FeatureCollection['features'] };
}
