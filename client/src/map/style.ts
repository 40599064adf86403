/**
 * The map's style pieces as plain data: the offline base style, the district and facility
 * layers, and the filters the map component swaps in. No map instance here — `AtlasMap`
 * adds these once, in one place, and only calls `setFilter` afterwards.
 *
 * Offline basemap: the style has no `glyphs` and no `sprite` (nothing to download at run
 * time). The "basemap" is our own district polygons (fill + outline, the nine central
 * urban districts emphasised); district names are HTML markers (see districtLabels.ts)
 * and facility markers are canvas-drawn images (see icons.ts), so no layer needs a font.
 */
import type {
  ExpressionSpecification,
  FilterSpecification,
  LayerSpecification,
  SourceSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import { CATEGORY_IDS, type CategoryId } from '../../../core/catalogue';
import { ICON_ID_PREFIX } from './icons';

export const SOURCE_DISTRICTS = 'atlas-districts';
export const SOURCE_FACILITIES = 'atlas-facilities';
/** The single source-layer in the facility tiles (server/features/tiles). */
export const FACILITY_SOURCE_LAYER = 'facilities';

export const LAYER_DISTRICT_FILL = 'atlas-district-fill';
export const LAYER_DISTRICT_LINE = 'atlas-district-line';
export const LAYER_FACILITY_HALO = 'atlas-facility-highlight';
export const LAYER_FACILITIES = 'atlas-facilities';

/** Colours of the offline basemap; the markers keep ≥ 3:1 against all of them. */
export const BASEMAP = {
  background: '#e6ebef',
  central: '#fbfaf6',
  outer: '#f1f0ea',
  line: '#8d97a3',
  centralLine: '#4b5563',
  highlight: '#111827',
};

/** From this zoom every facility marker is drawn, overlapping or not. */
export const STREET_ZOOM = 14;

/**
 * Who wins when markers collide below STREET_ZOOM: the rarer services first, so a
 * special-education school or a library is not hidden under a crowd of kindergartens.
 */
const PLACEMENT_PRIORITY: readonly CategoryId[] = [
  'special_school',
  'library',
  'activity_centre',
  'child_health',
  'mother_baby_room',
  'protection_station',
  'park',
  'middle_school',
  'primary_school',
  'nursery',
  'playground',
  'kindergarten',
];

/** A style with nothing to download: a background, our layers go on top. */
export function offlineBaseStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'atlas-offline',
    sources: {},
    layers: [{ id: 'atlas-background', type: 'background', paint: { 'background-color': BASEMAP.background } }],
  };
}

export function districtSource(data: GeoJSON.FeatureCollection): SourceSpecification {
  return { type: 'geojson', data, attribution: '' };
}

export function facilitySource(tileUrl: string): SourceSpecification {
  return { type: 'vector', tiles: [tileUrl], minzoom: 0, maxzoom: 16 };
}

/**
 * District fill and outline. Over an online basemap the fill is a faint tint only, so
 * the basemap's own detail shows through.
 */
export function districtLayers(onlineBasemap: boolean): LayerSpecification[] {
  const central: ExpressionSpecification = ['==', ['get', 'central_urban'], true];
  return [
    {
      id: LAYER_DISTRICT_FILL,
      type: 'fill',
      source: SOURCE_DISTRICTS,
      paint: {
        'fill-color': ['case', central, BASEMAP.central, BASEMAP.outer],
        'fill-opacity': onlineBasemap ? ['case', central, 0.12, 0.05] : 1,
      },
    },
    {
      id: LAYER_DISTRICT_LINE,
      type: 'line',
      source: SOURCE_DISTRICTS,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['case', central, BASEMAP.centralLine, BASEMAP.line],
        'line-width': ['interpolate', ['linear'], ['zoom'], 7, ['case', central, 1, 0.6], 12, ['case', central, 2, 1.2], 16, ['case', central, 3, 2]],
      },
    },
  ];
}

/**
 * Facility markers (icon only — no text, so no glyphs) and, under them, a ring that marks
 * the selected or hovered facility. Icons are small at city zoom and larger at street zoom.
 */
export function facilityLayers(): LayerSpecification[] {
  return [
    {
      id: LAYER_FACILITY_HALO,
      type: 'circle',
      source: SOURCE_FACILITIES,
      'source-layer': FACILITY_SOURCE_LAYER,
      filter: highlightFilter([]),
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 11, 12, 16, 16, 22],
        'circle-color': '#ffffff',
        'circle-opacity': 0.9,
        'circle-stroke-color': BASEMAP.highlight,
        'circle-stroke-width': 3,
      },
    },
    {
      id: LAYER_FACILITIES,
      type: 'symbol',
      source: SOURCE_FACILITIES,
      'source-layer': FACILITY_SOURCE_LAYER,
      filter: categoryFilter(CATEGORY_IDS),
      layout: {
        'icon-image': ['concat', ICON_ID_PREFIX, ['get', 'category']],
        'icon-size': ['interpolate', ['linear'], ['zoom'], 8, 0.5, 11, 0.62, 14, 0.85, 16, 1],
        // Below street zoom, markers that would overlap are left out (the list view has
        // them all) and rarer services win the collision; from STREET_ZOOM every
        // facility shows.
        'icon-allow-overlap': ['step', ['zoom'], false, STREET_ZOOM, true],
        'icon-ignore-placement': ['step', ['zoom'], false, STREET_ZOOM, true],
        'icon-padding': [1],
        'symbol-sort-key': ['index-of', ['get', 'category'], ['literal', [...PLACEMENT_PRIORITY]]],
      },
    },
  ];
}

/** Show only facilities of the selected categories. */
export function categoryFilter(selected: readonly CategoryId[]): FilterSpecification {
  return ['in', ['get', 'category'], ['literal', [...selected]]];
}

/**
 * A facility's id in a tile: the `id` property when the tile carries one, otherwise the
 * MVT feature id (the server may put it in either place).
 */
const FACILITY_ID: ExpressionSpecification = ['to-number', ['coalesce', ['get', 'id'], ['id']]];

/** The ring under the selected/hovered facilities. */
export function highlightFilter(ids: readonly number[]): FilterSpecification {
  return ['in', FACILITY_ID, ['literal', [...ids]]];
}

/** The facility id of a feature from `queryRenderedFeatures` (see FACILITY_ID). */
export function facilityIdOf(f: { id?: string | number; properties: Record<string, unknown> | null }): number | null {
  const id = Number(f.properties?.id ?? f.id);
  return Number.isInteger(id) ? id : null;
}
