/**
 * The map's style pieces as plain data: where the base style comes from, the district and
 * facility overlay layers, and the filters the map component swaps in. No map instance
 * here — `AtlasMap` adds these once, in one place, and only calls `setFilter` /
 * `setLayoutProperty` afterwards.
 *
 * Basemap: `/api/style.json?lang=…` — the Protomaps basemap layers over the server's own
 * vector tiles (or a PMTiles archive), glyphs and sprites same-origin; Chinese characters
 * are drawn by the browser from system fonts (`LOCAL_IDEOGRAPH_FONT_FAMILY`), so no CJK
 * glyphs are downloaded. An online style (`BASEMAP_STYLE_URL`) replaces it. On top of
 * either go the district outlines and names and the facility markers (canvas-drawn
 * images, see icons.ts).
 */
import type {
  ExpressionSpecification,
  FilterSpecification,
  LayerSpecification,
  SourceSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import { CATEGORY_IDS, type CategoryId } from '../../../core/catalogue';
import type { DistrictFeature } from '../../../core/api';
import type { Lang } from '../i18n';
import { ICON_ID_PREFIX } from './icons';

export const SOURCE_DISTRICTS = 'atlas-districts';
export const SOURCE_FACILITIES = 'atlas-facilities';
/** The single source-layer in the facility tiles (server/features/tiles). */
export const FACILITY_SOURCE_LAYER = 'facilities';

export const SOURCE_DISTRICT_LABELS = 'atlas-district-labels';

export const LAYER_DISTRICT_FILL = 'atlas-district-fill';
export const LAYER_DISTRICT_LINE = 'atlas-district-line';
export const LAYER_DISTRICT_LABELS = 'atlas-district-labels';
export const LAYER_FACILITY_HALO = 'atlas-facility-highlight';
export const LAYER_FACILITIES = 'atlas-facilities';

/** Colours of the district overlay; the markers keep ≥ 3:1 against all of them. */
export const BASEMAP = {
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

/** Chinese (and kana/hangul) drawn by the browser from these fonts: no CJK glyph ranges to download. */
export const LOCAL_IDEOGRAPH_FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

/** Our basemap style for the UI language (same origin). */
export function basemapStyleUrl(lang: Lang): string {
  return `/api/style.json?lang=${lang}`;
}

/** Our glyph endpoint, absolute (a style's `glyphs` must be). */
export function glyphsUrl(origin: string): string {
  return `${origin}/api/basemap/fonts/{fontstack}/{range}.pbf`;
}

/**
 * An online style may have no `glyphs` (a raster-only style such as Tianditu's); our
 * district names need them, so they come from our own glyph endpoint then.
 */
export function withGlyphs(style: StyleSpecification, origin: string): StyleSpecification {
  return style.glyphs ? style : { ...style, glyphs: glyphsUrl(origin) };
}

/**
 * The layout changes that turn the basemap's labels to another language: for every layer
 * of `next` that the map has, each layout property that differs. (Only the label layers'
 * `text-field` differs between our styles for two languages.)
 */
export function labelLanguageChanges(
  current: readonly LayerSpecification[],
  next: readonly LayerSpecification[],
): { layer: string; property: string; value: unknown }[] {
  const byId = new Map(current.map((l) => [l.id, l]));
  const out: { layer: string; property: string; value: unknown }[] = [];
  for (const layer of next) {
    const now = byId.get(layer.id);
    if (!now || !('layout' in layer) || !layer.layout) continue;
    const nowLayout = ('layout' in now ? now.layout : undefined) as Record<string, unknown> | undefined;
    for (const [property, value] of Object.entries(layer.layout)) {
      if (JSON.stringify(nowLayout?.[property]) !== JSON.stringify(value)) out.push({ layer: layer.id, property, value });
    }
  }
  return out;
}

export function districtSource(data: GeoJSON.FeatureCollection): SourceSpecification {
  return { type: 'geojson', data, attribution: '' };
}

export function facilitySource(tileUrl: string): SourceSpecification {
  return { type: 'vector', tiles: [tileUrl], minzoom: 0, maxzoom: 16 };
}

/** The districts' label points, with the name shown on the map in each language. */
export function districtLabelPoints(features: readonly DistrictFeature[]): GeoJSON.FeatureCollection<GeoJSON.Point> {
  return {
    type: 'FeatureCollection',
    features: features.map((f) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [...f.properties.label_point] },
      properties: {
        code: f.properties.code,
        // "渝中区" / "Yuzhong" ("District" is left off the map to save room)
        label_zh: f.properties.name_zh,
        label_en: f.properties.name_en.replace(/ District$/, ''),
        central_urban: f.properties.central_urban,
        population: f.properties.population ?? 0,
      },
    })),
  };
}

export function districtLabelSource(): SourceSpecification {
  return { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, attribution: '' };
}

export function districtLabelText(lang: Lang): ExpressionSpecification {
  return ['get', lang === 'en' ? 'label_en' : 'label_zh'];
}

/**
 * District fill and outline. Under our basemap the fill goes right above the background,
 * below the basemap's land: where basemap data exists it covers the fill, elsewhere the
 * districts are still drawn (never a blank canvas). Over an online basemap it is a faint
 * tint on top, so the basemap's own detail shows through.
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
        'line-width': [
          'interpolate',
          ['linear'],
          ['zoom'],
          7,
          ['case', central, 1, 0.6],
          12,
          ['case', central, 2, 1.2],
          16,
          ['case', central, 3, 2],
        ],
      },
    },
  ];
}

/**
 * District names, drawn above the markers: central districts first (then by population)
 * when names collide; the outer districts from zoom 7.5. Fonts are the basemap's (Latin from our glyphs, Chinese
 * drawn locally).
 */
export function districtLabelLayer(lang: Lang): LayerSpecification {
  const central: ExpressionSpecification = ['==', ['get', 'central_urban'], true];
  return {
    id: LAYER_DISTRICT_LABELS,
    type: 'symbol',
    source: SOURCE_DISTRICT_LABELS,
    filter: ['any', central, ['>=', ['zoom'], 7.5]],
    layout: {
      'text-field': districtLabelText(lang),
      'text-font': ['case', central, ['literal', ['Noto Sans Medium']], ['literal', ['Noto Sans Regular']]],
      'text-size': [
        'interpolate',
        ['linear'],
        ['zoom'],
        7,
        ['case', central, 13, 11],
        12,
        ['case', central, 16, 13],
        16,
        ['case', central, 20, 15],
      ],
      'text-letter-spacing': 0.04,
      'text-padding': 6,
      // Names never hide each other, but facility markers may draw under them.
      'text-ignore-placement': true,
      // lower keys are placed first: central districts, then the most populous
      'symbol-sort-key': ['-', 0, ['+', ['case', central, 1e9, 0], ['get', 'population']]],
    },
    paint: {
      'text-color': ['case', central, '#1f2937', '#4b5563'],
      'text-halo-color': '#ffffff',
      'text-halo-width': 2,
    },
  };
}

/**
 * Facility markers (an icon, and a count badge for a group below z15) and, under them, a ring that marks
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
        // Below z15 the server groups facilities of a category per grid cell: a marker that
        // stands for several carries `count`, shown as a badge at its upper right.
        'text-field': ['case', ['>', ['coalesce', ['get', 'count'], 1], 1], ['to-string', ['get', 'count']], ''],
        'text-font': ['literal', ['Noto Sans Medium']],
        'text-size': 10,
        'text-offset': [0.9, -0.9],
        'text-allow-overlap': true,
        'text-optional': true,
      },
      paint: { 'text-color': '#ffffff', 'text-halo-color': BASEMAP.highlight, 'text-halo-width': 1.6 },
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

/** How many facilities a marker stands for (the server thins tiles below z15). */
export function facilityCountOf(f: { properties: Record<string, unknown> | null }): number {
  return Number(f.properties?.count ?? 1);
}

/** The facility id of a feature from `queryRenderedFeatures` (see FACILITY_ID). */
export function facilityIdOf(f: { id?: string | number; properties: Record<string, unknown> | null }): number | null {
  const id = Number(f.properties?.id ?? f.id);
  return Number.isInteger(id) ? id : null;
}
