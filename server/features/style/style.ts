/**
 * The MapLibre style of the offline basemap, as plain data: the Protomaps basemap layers
 * from `@protomaps/basemaps` (never hand-written: `layers(source, namedFlavor(flavor), { lang })`)
 * over one vector source in the Protomaps basemap tile schema v4 — our own tiles
 * (`/api/tiles/basemap.json`) or, when `BASEMAP_PMTILES` is set, that archive read by the
 * browser's `pmtiles` protocol — plus a few layers of our own (stairways). Every URL in it
 * is absolute on the origin the request came to (same origin).
 */
import { layers, namedFlavor } from '@protomaps/basemaps';
import type { LayerSpecification, SourceSpecification, StyleSpecification } from '@maplibre/maplibre-gl-style-spec';

/** Source id the Protomaps layers read from. */
export const BASEMAP_SOURCE = 'protomaps';
export const STYLE_LANGS = ['zh', 'en'] as const;
export type StyleLang = (typeof STYLE_LANGS)[number];
/** Flavors served: only `light` has its sprite sheet carried (data/basemap-assets/SOURCE.md). */
export const STYLE_FLAVORS = ['light'] as const;
export type StyleFlavor = (typeof STYLE_FLAVORS)[number];
/** The sprite version @protomaps/basemaps 5.x references (v4 has the POI icons). */
export const SPRITE_VERSION = 'v4';

/** The UI language → the `lang` of @protomaps/basemaps (its `language_script_pairs`). */
const PROTOMAPS_LANG: Record<StyleLang, string> = { zh: 'zh-Hans', en: 'en' };

/** ODbL 1.0 §4.3: the credit wherever the data is shown (the OSMF's wording). */
export const OSM_ATTRIBUTION =
  '<a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">© OpenStreetMap contributors</a>';

/** Our own layers (ids start with `atlas_basemap_`), drawn with the basemap below the labels. */
export const STAIRS_LAYER = 'atlas_basemap_steps';
export const BUILDINGS_3D_LAYER = 'atlas_basemap_buildings_3d';
/** Stairways: children walk them, pushchairs and wheelchairs cannot (OSM highway=steps). */
export const STAIRS_COLOUR = '#a15c38';
/** Extruded buildings from this zoom (the flat `buildings` fill stays below it). */
export const BUILDINGS_3D_MIN_ZOOM = 15;

export interface StyleOptions {
  /** e.g. `http://127.0.0.1:8080`: every URL in the style starts with it. */
  origin: string;
  lang: StyleLang;
  flavor: StyleFlavor;
  /** Read the basemap from `/api/basemap.pmtiles` (BASEMAP_PMTILES) instead of our tiles. */
  pmtiles: boolean;
  /** Add extruded buildings at z ≥ 15 (`height`, else `min_height`/levels as the tiles give it). */
  buildings3d: boolean;
}

export function basemapSource(o: Pick<StyleOptions, 'origin' | 'pmtiles'>): SourceSpecification {
  return o.pmtiles
    ? { type: 'vector', url: `pmtiles://${o.origin}/api/basemap.pmtiles`, attribution: OSM_ATTRIBUTION }
    : { type: 'vector', url: `${o.origin}/api/tiles/basemap.json`, attribution: OSM_ATTRIBUTION };
}

/** Stairways as a ladder: short dense dashes across a wide line read as rungs. */
function stairsLayer(): LayerSpecification {
  return {
    id: STAIRS_LAYER,
    type: 'line',
    source: BASEMAP_SOURCE,
    'source-layer': 'roads',
    minzoom: 14,
    filter: ['==', ['get', 'kind_detail'], 'steps'],
    paint: {
      'line-color': STAIRS_COLOUR,
      'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 14, 2, 16, 5, 18, 11],
      'line-dasharray': [0.3, 0.3],
    },
  };
}

function buildings3dLayer(): LayerSpecification {
  return {
    id: BUILDINGS_3D_LAYER,
    type: 'fill-extrusion',
    source: BASEMAP_SOURCE,
    'source-layer': 'buildings',
    minzoom: BUILDINGS_3D_MIN_ZOOM,
    filter: ['in', ['get', 'kind'], ['literal', ['building', 'building_part']]],
    paint: {
      'fill-extrusion-color': namedFlavor('light').buildings,
      // Protomaps v4 buildings carry `height` and `min_height` in metres; 3 m when unknown.
      'fill-extrusion-height': ['coalesce', ['get', 'height'], 3],
      'fill-extrusion-base': ['coalesce', ['get', 'min_height'], 0],
      'fill-extrusion-opacity': 0.8,
    },
  };
}

export function basemapStyle(o: StyleOptions): StyleSpecification {
  const base = layers(BASEMAP_SOURCE, namedFlavor(o.flavor), { lang: PROTOMAPS_LANG[o.lang] }) as LayerSpecification[];
  // Ours go with the other lines, under the first label layer.
  const firstSymbol = base.findIndex((l) => l.type === 'symbol');
  const ours = [stairsLayer(), ...(o.buildings3d ? [buildings3dLayer()] : [])];
  const all = firstSymbol < 0 ? [...base, ...ours] : [...base.slice(0, firstSymbol), ...ours, ...base.slice(firstSymbol)];
  return {
    version: 8,
    name: `atlas-basemap-${o.flavor}-${o.lang}`,
    glyphs: `${o.origin}/api/basemap/fonts/{fontstack}/{range}.pbf`,
    sprite: `${o.origin}/api/basemap/sprites/${SPRITE_VERSION}/${o.flavor}`,
    sources: { [BASEMAP_SOURCE]: basemapSource(o) },
    layers: all,
  };
}
