/**
 * OpenStreetMap tags → features of the Protomaps basemap tile schema, version 4
 * (docs.protomaps.com/basemaps/layers; the style `@protomaps/basemaps` 5.x filters on the
 * `kind`, `kind_detail`, `min_zoom`, `name`, `name:en`, `script`, `is_*`, `oneway` and
 * `height` properties chosen here). Pure: the reader feeds tags and a geometry type, the
 * extractor (core/osm/basemapExtract.ts) builds the geometry.
 *
 * What is kept, per layer (the subset of the schema this atlas serves; docs/basemap.md):
 * - `roads`: every `highway=*` line, `kind` by class (highway / major_road / minor_road /
 *   path / other), `kind_detail` = the highway value (`steps` stays `steps`: stairways are
 *   drawn as stairs), `min_zoom` by class (the "road classes by zoom" of issue #11).
 * - `buildings`: `building=*` / `building:part=*` areas; `height` from `height` (metres) or
 *   `building:levels` × 3 m, `min_height` likewise.
 * - `landuse`: parks, green and built-up land use (`leisure`, `landuse`, `amenity`
 *   grounds, pedestrian areas); `natural` wood/scrub/grassland/sand/bare rock likewise.
 * - `water`: `natural=water`, `waterway=riverbank`, reservoirs (areas); rivers, streams,
 *   canals, drains (lines).
 * - `pois`: named `amenity` / `shop` / `tourism` / `leisure` / `historic` / transport
 *   stops, points (or a point on a named area's surface).
 * - `places`: `place=*` points (locality, macrohood, neighbourhood).
 * - `boundaries`: `boundary=administrative` ways (with `admin_level`).
 * `earth` is not from tags: it is the area each import covers (server/features/basemap).
 */
import type { OsmTags } from './tags';

export type BasemapLayer = 'earth' | 'water' | 'landcover' | 'landuse' | 'roads' | 'buildings' | 'pois' | 'places' | 'boundaries';
export const BASEMAP_LAYERS: readonly BasemapLayer[] = [
  'earth',
  'water',
  'landcover',
  'landuse',
  'roads',
  'buildings',
  'pois',
  'places',
  'boundaries',
];

/** Tile properties beyond the common columns; written into tiles as they are. */
export type BasemapAttrs = Record<string, string | number | boolean>;

export interface BasemapClass {
  layer: BasemapLayer;
  kind: string;
  kind_detail: string | null;
  /** Lowest zoom the feature is put into tiles at (all of them go into the deepest tile). */
  min_zoom: number;
  /** Draw order inside a layer (higher on top) and priority under the per-layer cap. */
  sort_rank: number;
  name: string | null;
  name_en: string | null;
  height_m: number | null;
  attrs: BasemapAttrs;
}

/** How an OSM object is drawn: a node, an open way (or a closed highway), an area. */
export type OsmShape = 'point' | 'line' | 'area';

// ── roads ────────────────────────────────────────────────────────────────────────────
// Protomaps v4 road classes; min_zoom per issue #11 ("only major roads at z11, minor from
// z13, paths/steps from z14/15"), sort_rank so that bigger roads draw on top.
interface RoadRule {
  kind: 'highway' | 'major_road' | 'minor_road' | 'path' | 'other';
  min_zoom: number;
  sort_rank: number;
}
const ROADS: Record<string, RoadRule> = {
  motorway: { kind: 'highway', min_zoom: 6, sort_rank: 400 },
  trunk: { kind: 'major_road', min_zoom: 7, sort_rank: 390 },
  primary: { kind: 'major_road', min_zoom: 8, sort_rank: 380 },
  secondary: { kind: 'major_road', min_zoom: 10, sort_rank: 370 },
  tertiary: { kind: 'major_road', min_zoom: 11, sort_rank: 360 },
  residential: { kind: 'minor_road', min_zoom: 13, sort_rank: 350 },
  unclassified: { kind: 'minor_road', min_zoom: 13, sort_rank: 350 },
  living_street: { kind: 'minor_road', min_zoom: 13, sort_rank: 350 },
  road: { kind: 'minor_road', min_zoom: 13, sort_rank: 350 },
  busway: { kind: 'minor_road', min_zoom: 13, sort_rank: 350 },
  service: { kind: 'minor_road', min_zoom: 14, sort_rank: 340 },
  pedestrian: { kind: 'path', min_zoom: 14, sort_rank: 330 },
  // stairways matter for children and pushchairs: from z14, like pedestrian streets
  steps: { kind: 'path', min_zoom: 14, sort_rank: 332 },
  footway: { kind: 'path', min_zoom: 14, sort_rank: 330 },
  path: { kind: 'path', min_zoom: 14, sort_rank: 330 },
  cycleway: { kind: 'path', min_zoom: 14, sort_rank: 330 },
  track: { kind: 'path', min_zoom: 14, sort_rank: 330 },
  bridleway: { kind: 'path', min_zoom: 15, sort_rank: 330 },
  corridor: { kind: 'path', min_zoom: 15, sort_rank: 330 },
  elevator: { kind: 'path', min_zoom: 15, sort_rank: 330 },
  platform: { kind: 'other', min_zoom: 15, sort_rank: 320 },
  raceway: { kind: 'other', min_zoom: 14, sort_rank: 320 },
};
/** Highway values that are no road (proposals, construction without a class, areas of nothing). */
const NOT_ROADS = new Set([
  'proposed',
  'abandoned',
  'razed',
  'disused',
  'no',
  'via_ferrata',
  'bus_stop',
  'crossing',
  'traffic_signals',
  'street_lamp',
  'rest_area',
  'services',
]);

const truthy = (v: string | undefined) => v !== undefined && v !== 'no' && v !== '0' && v !== 'false';

/** The road class of a `highway=*` way, or null. Exported for the tests and docs. */
export function classifyRoad(t: OsmTags): BasemapClass | null {
  let hw = t.highway;
  if (!hw || NOT_ROADS.has(hw)) return null;
  let detail = hw;
  if (hw === 'construction') {
    if (!t.construction || !ROADS[t.construction.replace(/_link$/, '')]) return null;
    hw = t.construction;
    detail = hw;
  }
  const isLink = hw.endsWith('_link');
  const base = isLink ? hw.slice(0, -5) : hw;
  const rule = ROADS[base];
  if (!rule) return null;
  let minZoom = rule.min_zoom;
  // sidewalks and crossings drawn along a street only once the street itself is wide (z15)
  if (base === 'footway' && (t.footway === 'sidewalk' || t.footway === 'crossing')) minZoom = 15;
  if (isLink) minZoom = Math.max(minZoom, 12);
  // access=no/private roads only at z15 (Protomaps tiles 4.11.7)
  if ((t.access === 'no' || t.access === 'private') && rule.kind !== 'path') minZoom = Math.max(minZoom, 15);
  const attrs: BasemapAttrs = {};
  if (isLink) attrs.is_link = true;
  if (truthy(t.bridge)) attrs.is_bridge = true;
  if (truthy(t.tunnel) && t.tunnel !== 'building_passage') attrs.is_tunnel = true;
  if (t.oneway === 'yes' || t.oneway === '1' || t.oneway === 'true') attrs.oneway = 'yes';
  const layer = osmLayer(t.layer);
  if (layer !== null) attrs.layer = layer;
  if (t.ref) attrs.ref = t.ref.slice(0, 40);
  if (hw === 'construction' || t.highway === 'construction') attrs.construction = true;
  return {
    layer: 'roads',
    kind: rule.kind,
    kind_detail: detail,
    min_zoom: minZoom,
    sort_rank: rule.sort_rank,
    name: null,
    name_en: null,
    height_m: null,
    attrs,
  };
}

function osmLayer(v: string | undefined): number | null {
  if (v === undefined || !/^-?\d{1,2}$/.test(v.trim())) return null;
  return Number(v.trim());
}

// ── buildings ────────────────────────────────────────────────────────────────────────
/** Metres per storey when only `building:levels` is known (the 3 m of issue #11). */
export const METRES_PER_LEVEL = 3;

/** `height=*` in metres ("25", "25 m", "25.5m"); feet and nonsense → null. */
export function parseHeightM(v: string | undefined): number | null {
  if (v === undefined) return null;
  const m = /^\s*(\d{1,4}(?:\.\d+)?)\s*(m|metres|meters)?\s*$/i.exec(v.replace(',', '.'));
  if (!m) return null;
  const h = Number(m[1]);
  return h > 0 && h < 1000 ? h : null;
}

function levelsM(v: string | undefined): number | null {
  if (v === undefined) return null;
  const m = /^\s*(\d{1,3}(?:\.\d+)?)\s*$/.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 0 && n < 300 ? Math.round(n * METRES_PER_LEVEL * 10) / 10 : null;
}

export function classifyBuilding(t: OsmTags): BasemapClass | null {
  const part = t['building:part'];
  const isPart = part !== undefined && part !== 'no';
  const b = t.building;
  if (!isPart && (b === undefined || b === 'no')) return null;
  const height = parseHeightM(t.height) ?? levelsM(t['building:levels']);
  const minHeight = parseHeightM(t.min_height) ?? levelsM(t['building:min_level']);
  const attrs: BasemapAttrs = {};
  if (minHeight !== null && minHeight > 0) attrs.min_height = minHeight;
  const layer = osmLayer(t.layer);
  if (layer !== null) attrs.layer = layer;
  return {
    layer: 'buildings',
    kind: isPart ? 'building_part' : 'building',
    kind_detail: isPart ? part! : b === 'yes' ? null : b!,
    min_zoom: 14,
    sort_rank: 400,
    name: null,
    name_en: null,
    height_m: height,
    attrs,
  };
}

// ── landuse, landcover-like natural areas, water ─────────────────────────────────────
/** tag=value → landuse kind (Protomaps v4 landuse kinds), with its min_zoom. */
const LANDUSE: Record<string, [kind: string, minZoom: number]> = {
  'leisure=park': ['park', 11],
  'leisure=garden': ['garden', 13],
  'leisure=playground': ['playground', 14],
  'leisure=pitch': ['pitch', 14],
  'leisure=stadium': ['stadium', 12],
  'leisure=nature_reserve': ['nature_reserve', 10],
  'leisure=golf_course': ['golf_course', 11],
  'leisure=dog_park': ['dog_park', 14],
  'leisure=recreation_ground': ['recreation_ground', 12],
  'leisure=marina': ['marina', 13],
  'boundary=national_park': ['national_park', 8],
  'boundary=protected_area': ['protected_area', 10],
  'landuse=park': ['park', 11],
  'landuse=recreation_ground': ['recreation_ground', 12],
  'landuse=village_green': ['village_green', 13],
  'landuse=grass': ['grass', 13],
  'landuse=meadow': ['grass', 13],
  'landuse=forest': ['forest', 10],
  'landuse=cemetery': ['cemetery', 12],
  'landuse=allotments': ['allotments', 13],
  'landuse=farmland': ['farmland', 11],
  'landuse=orchard': ['orchard', 12],
  'landuse=farmyard': ['farmyard', 13],
  'landuse=residential': ['residential', 12],
  'landuse=commercial': ['commercial', 12],
  'landuse=retail': ['commercial', 12],
  'landuse=industrial': ['industrial', 12],
  'landuse=railway': ['railway', 12],
  'landuse=military': ['military', 10],
  'landuse=education': ['school', 12],
  'amenity=school': ['school', 12],
  'amenity=kindergarten': ['kindergarten', 13],
  'amenity=university': ['university', 12],
  'amenity=college': ['college', 12],
  'amenity=hospital': ['hospital', 12],
  'amenity=library': ['library', 14],
  'amenity=townhall': ['townhall', 14],
  'amenity=post_office': ['post_office', 14],
  'amenity=marketplace': ['pedestrian', 14],
  'amenity=parking': ['other', 15],
  'tourism=zoo': ['zoo', 12],
  'tourism=attraction': ['attraction', 13],
  'aeroway=aerodrome': ['aerodrome', 10],
  'natural=wood': ['wood', 10],
  'natural=scrub': ['scrub', 11],
  'natural=grassland': ['grassland', 11],
  'natural=heath': ['scrub', 11],
  'natural=beach': ['beach', 12],
  'natural=sand': ['sand', 12],
  'natural=bare_rock': ['sand', 12],
  'natural=glacier': ['glacier', 8],
  'man_made=pier': ['pier', 14],
  'highway=pedestrian': ['pedestrian', 13],
  'highway=footway': ['pedestrian', 14],
  'railway=platform': ['platform', 14],
  'public_transport=platform': ['platform', 14],
};
const LANDUSE_KEYS = [
  'leisure',
  'boundary',
  'landuse',
  'amenity',
  'tourism',
  'aeroway',
  'natural',
  'man_made',
  'highway',
  'railway',
  'public_transport',
];

/** The landuse of an area, or null. */
export function classifyLanduse(t: OsmTags): BasemapClass | null {
  for (const k of LANDUSE_KEYS) {
    const v = t[k];
    if (v === undefined) continue;
    const hit = LANDUSE[`${k}=${v}`];
    if (!hit) continue;
    // highway areas are landuse only when tagged as areas
    if (k === 'highway' && t.area !== 'yes') continue;
    return {
      layer: 'landuse',
      kind: hit[0],
      kind_detail: null,
      min_zoom: hit[1],
      sort_rank: 200,
      name: null,
      name_en: null,
      height_m: null,
      attrs: {},
    };
  }
  return null;
}

const WATER_LINES: Record<string, [minZoom: number, rank: number]> = {
  river: [9, 220],
  canal: [11, 215],
  stream: [13, 210],
  ditch: [15, 205],
  drain: [15, 205],
};

/** Water: areas (lakes, riverbanks, reservoirs) and waterway lines. */
export function classifyWater(t: OsmTags, shape: OsmShape): BasemapClass | null {
  const base = { layer: 'water' as const, kind_detail: null, name: null, name_en: null, height_m: null, attrs: {} };
  if (shape === 'area') {
    if (
      t.natural === 'water' ||
      t.waterway === 'riverbank' ||
      t.landuse === 'reservoir' ||
      t.landuse === 'basin' ||
      t.waterway === 'dock'
    ) {
      const kind = t.water === 'lake' || t.water === 'pond' || t.water === 'reservoir' ? 'lake' : 'water';
      return { ...base, kind, kind_detail: t.water ?? null, min_zoom: 9, sort_rank: 200 };
    }
    return null;
  }
  if (shape === 'line' && t.waterway && WATER_LINES[t.waterway]) {
    const [minZoom, rank] = WATER_LINES[t.waterway];
    const attrs: BasemapAttrs = {};
    if (truthy(t.tunnel)) attrs.is_tunnel = true;
    return { ...base, kind: t.waterway, min_zoom: minZoom, sort_rank: rank, attrs };
  }
  return null;
}

// ── pois and places ──────────────────────────────────────────────────────────────────
/** min_zoom of a POI kind (the style shows a POI from its min_zoom on); default 17. */
const POI_MIN_ZOOM: Record<string, number> = {
  station: 13,
  aerodrome: 11,
  ferry_terminal: 14,
  park: 14,
  zoo: 14,
  stadium: 14,
  university: 14,
  college: 15,
  hospital: 14,
  museum: 14,
  attraction: 14,
  townhall: 15,
  school: 15,
  kindergarten: 15,
  library: 15,
  theatre: 15,
  post_office: 16,
  marketplace: 15,
  supermarket: 16,
  mall: 15,
  department_store: 16,
  bus_stop: 17,
  toilets: 17,
  drinking_water: 18,
  bench: 18,
};
/** POIs kept without a name (useful on foot); every other POI needs one. */
const UNNAMED_POIS = new Set(['toilets', 'drinking_water']);

/** The POI kind of an object (tag priority as Protomaps: amenity, shop, tourism, leisure …). */
export function poiKind(t: OsmTags): string | null {
  if (t.railway === 'station' || t.public_transport === 'station') return 'station';
  if (t.highway === 'bus_stop' || (t.public_transport === 'platform' && t.bus === 'yes')) return 'bus_stop';
  if (t.aeroway === 'aerodrome') return 'aerodrome';
  const amenity = t.amenity;
  if (amenity === 'ferry_terminal') return 'ferry_terminal';
  if (amenity && amenity !== 'parking_space' && amenity !== 'bench' && amenity !== 'waste_basket') return amenity;
  if (t.shop && t.shop !== 'vacant' && t.shop !== 'no') return t.shop;
  if (t.tourism && t.tourism !== 'yes') return t.tourism;
  if (t.leisure && t.leisure !== 'yes') return t.leisure;
  if (t.historic && t.historic !== 'yes') return t.historic === 'memorial' || t.historic === 'monument' ? 'attraction' : t.historic;
  if (t.office) return 'office';
  if (t.craft) return 'craft';
  if (amenity === 'bench') return 'bench';
  return null;
}

export function classifyPoi(t: OsmTags): BasemapClass | null {
  const kind = poiKind(t);
  if (!kind) return null;
  if (!t.name && !UNNAMED_POIS.has(kind)) return null;
  const minZoom = POI_MIN_ZOOM[kind] ?? 17;
  return {
    layer: 'pois',
    kind,
    kind_detail: null,
    min_zoom: minZoom,
    sort_rank: 300 - minZoom,
    name: null,
    name_en: null,
    height_m: null,
    attrs: {},
  };
}

const PLACES: Record<string, [kind: string, minZoom: number, populationRank: number]> = {
  city: ['locality', 4, 12],
  town: ['locality', 8, 9],
  village: ['locality', 11, 6],
  hamlet: ['locality', 13, 4],
  isolated_dwelling: ['locality', 14, 2],
  borough: ['macrohood', 10, 0],
  suburb: ['macrohood', 11, 0],
  quarter: ['neighbourhood', 13, 0],
  neighbourhood: ['neighbourhood', 14, 0],
  locality: ['neighbourhood', 15, 0],
};

export function classifyPlace(t: OsmTags): BasemapClass | null {
  const p = t.place && PLACES[t.place];
  if (!p || !t.name) return null;
  const attrs: BasemapAttrs = {};
  if (p[0] === 'locality') attrs.population_rank = p[2];
  const pop = t.population && /^\d{1,9}$/.test(t.population) ? Number(t.population) : null;
  if (pop !== null) attrs.population = pop;
  return {
    layer: 'places',
    kind: p[0],
    kind_detail: t.place!,
    min_zoom: p[1],
    sort_rank: 300 - p[1],
    name: null,
    name_en: null,
    height_m: null,
    attrs,
  };
}

export function classifyBoundary(t: OsmTags): BasemapClass | null {
  if (t.boundary !== 'administrative' || !t.admin_level || !/^\d{1,2}$/.test(t.admin_level)) return null;
  const level = Number(t.admin_level);
  const kind = level <= 2 ? 'country' : level <= 4 ? 'region' : level <= 6 ? 'county' : 'locality';
  // kind_detail is the admin level as a number (the style compares it: <= 2 is a country border)
  return {
    layer: 'boundaries',
    kind,
    kind_detail: null,
    min_zoom: level <= 4 ? 4 : level <= 6 ? 8 : 10,
    sort_rank: 100 - level,
    name: null,
    name_en: null,
    height_m: null,
    attrs: { kind_detail: level },
  };
}

// ── names ────────────────────────────────────────────────────────────────────────────
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const LATIN = /[A-Za-z\u00c0-\u024f]/;

/**
 * The Protomaps `script` of a name: omitted for Latin, `Han` for Chinese characters (the
 * style shows `name:en` first for English readers when `script` is present, and `name`
 * alone for zh readers when it is `Han`). Mixed Han + Latin names count as Han.
 */
export function nameScript(name: string): string | null {
  if (HAN.test(name)) return 'Han';
  if (LATIN.test(name) || !/\p{L}/u.test(name)) return null;
  return 'Other';
}

/** Fill the name fields of a class from tags (`name`, `name:en`, `name:zh-Hans`) and its `script`. */
export function withNames(c: BasemapClass, t: OsmTags): BasemapClass {
  const name = t.name?.trim().slice(0, 200) || null;
  const en = t['name:en']?.trim().slice(0, 200) || null;
  const attrs = { ...c.attrs };
  if (name) {
    const s = nameScript(name);
    if (s) attrs.script = s;
  }
  const hans = (t['name:zh-Hans'] ?? t['name:zh'])?.trim().slice(0, 200);
  if (hans && hans !== name) attrs['name:zh-Hans'] = hans;
  return { ...c, name, name_en: en, attrs };
}

/** Layers whose features carry names in the tiles (labels); others drop them to save bytes. */
const NAMED_LAYERS = new Set<BasemapLayer>(['roads', 'pois', 'places', 'water', 'landuse']);

/**
 * Every basemap feature an OSM object makes, for how it is drawn. An area can give a
 * building and a landuse and a POI (its label, placed on the area by the extractor).
 * Closed `highway=*` ways are lines unless `area=yes`.
 */
export function classifyBasemap(t: OsmTags, shape: OsmShape): BasemapClass[] {
  const out: BasemapClass[] = [];
  if (shape === 'point') {
    const place = classifyPlace(t);
    if (place) out.push(place);
    const poi = classifyPoi(t);
    if (poi) out.push(poi);
  } else if (shape === 'line') {
    const road = classifyRoad(t);
    if (road) out.push(road);
    const water = classifyWater(t, 'line');
    if (water) out.push(water);
    const boundary = classifyBoundary(t);
    if (boundary) out.push(boundary);
  } else {
    const building = classifyBuilding(t);
    if (building) out.push(building);
    const water = classifyWater(t, 'area');
    if (water) out.push(water);
    else {
      const landuse = classifyLanduse(t);
      if (landuse) out.push(landuse);
    }
    const poi = classifyPoi(t);
    if (poi) out.push(poi);
  }
  return out.map((c) => (NAMED_LAYERS.has(c.layer) ? withNames(c, t) : c));
}

/**
 * Whether a closed way is an area: buildings, land use, water and the like are; highways,
 * barriers and waterways are lines unless `area=yes`.
 */
export function closedWayIsArea(t: OsmTags): boolean {
  if (t.area === 'no') return false;
  if (t.area === 'yes') return true;
  if (
    t.highway ||
    t.barrier ||
    t.waterway === 'river' ||
    t.waterway === 'stream' ||
    t.waterway === 'canal' ||
    t.waterway === 'drain' ||
    t.waterway === 'ditch'
  )
    return false;
  if (t.boundary === 'administrative') return false;
  return true;
}
