/**
 * Coordinate reference systems offered by exports, and the transform from the atlas's
 * WGS84 `[lng, lat]` into each (DESIGN.md: "WGS84 inside; GCJ-02, BD-09, CGCS2000 and Web
 * Mercator only at the edges").
 *
 * - `wgs84` — EPSG:4326, the default; what GPS, OSM and GeoJSON (RFC 7946) use.
 * - `cgcs2000` — EPSG:4490, China's national geodetic datum, asked for by official
 *   planning submissions. Its realisation differs from WGS84 (G1762) by a few centimetres,
 *   below this data's accuracy, so the **coordinates are written unchanged**; only the CRS
 *   label (`.prj`, GPKG `srs_id`, FGB `crs`) differs. Every export says so in its notes.
 * - `webmercator` — EPSG:3857, metres on the sphere of radius 6 378 137 m (spherical
 *   Mercator as EPSG defines it for "Pseudo-Mercator"), for CAD-adjacent tools that want
 *   planar metres aligned with web basemaps. Not suitable for measuring areas.
 * - `gcj02` — the offset ("Mars") coordinates of AMap and Tencent maps. It has no EPSG
 *   code: files carry a custom CRS named GCJ-02 whose datum equals WGS 84, so that QGIS and
 *   ArcGIS draw it over AMap tiles without a datum shift, which is what aligns it.
 * - `bd09` — Baidu's further offset, the same way, for Baidu-based viewers.
 *
 * @example
 * projectLngLat([106.55, 29.56], 'webmercator'); // [11861091.744, 3447116.405]
 * projectLngLat([106.55, 29.56], 'gcj02');       // ≈ [106.55372, 29.55715]
 */
import { fromWgs84 } from '../datum';
import type { Bilingual } from './types';

export const EXPORT_CRS_IDS = ['wgs84', 'cgcs2000', 'webmercator', 'gcj02', 'bd09'] as const;
export type ExportCrsId = (typeof EXPORT_CRS_IDS)[number];

/** Radius of the Web Mercator sphere, metres (EPSG:3857 uses the WGS84 semi-major axis). */
export const WEB_MERCATOR_RADIUS_M = 6378137;
/** Latitude where the Web Mercator square ends, degrees: atan(sinh(π)). */
export const WEB_MERCATOR_MAX_LAT = 85.0511287798066;

export interface ExportCrs {
  id: ExportCrsId;
  label: Bilingual;
  /** EPSG code, or null for the offset datums that have none. */
  epsg: number | null;
  projected: boolean;
  /** Names of the coordinate columns in CSV and XLSX. */
  axes: [string, string];
  /** Decimal places written: 8 for degrees (≈ 1 mm), 3 for metres (1 mm). */
  decimals: number;
  /** OGC WKT 1 (GeoPackage `gpkg_spatial_ref_sys.definition`, FlatGeobuf). */
  ogcWkt: string;
  /** ESRI WKT (the shapefile's `.prj`). */
  esriWkt: string;
  /** The GeoPackage `gpkg_spatial_ref_sys` row. */
  gpkg: { srsId: number; srsName: string; organization: string; organizationCoordsysId: number };
  /** What a user should know about this CRS; stated in every export's metadata. */
  note: Bilingual;
}

const WGS84_OGC =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],' +
  'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]';
const WGS84_ESRI =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/**
 * A geographic CRS that is WGS 84 under another name: how the offset datums are labelled.
 * In OGC WKT the datum gets its own name and `TOWGS84[0,0,0,0,0,0,0]`, so GDAL and QGIS
 * keep the name (they would otherwise recognise plain WGS 84 and show "EPSG:4326") and
 * still reproject with no shift — which is what lays GCJ-02 data on AMap tiles. ESRI WKT
 * (`.prj`) has no TOWGS84, so there the datum stays `D_WGS_1984` and only the GCS name
 * says GCJ-02 (ArcGIS shows it; GDAL/QGIS then recognise it as WGS 84).
 */
function offsetWkt(ogcName: string, datumName: string, esriName: string): { ogc: string; esri: string } {
  return {
    ogc:
      `GEOGCS["${ogcName}",DATUM["${datumName}",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],TOWGS84[0,0,0,0,0,0,0]],` +
      'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]]]',
    esri: `GEOGCS["${esriName}",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`,
  };
}

const GCJ02 = offsetWkt(
  'GCJ-02 (WGS 84 with the Chinese web-map offset; no EPSG code)',
  'GCJ_02_offset_of_WGS_1984',
  'GCS_GCJ_02_Offset_WGS_1984',
);
const BD09 = offsetWkt('BD-09 (Baidu offset of GCJ-02; no EPSG code)', 'BD_09_offset_of_WGS_1984', 'GCS_BD_09_Offset_WGS_1984');

const GEOGRAPHIC_AXES: [string, string] = ['lng', 'lat'];

export const EXPORT_CRS: Readonly<Record<ExportCrsId, ExportCrs>> = {
  wgs84: {
    id: 'wgs84',
    label: { zh: 'WGS 84 经纬度', en: 'WGS 84 longitude/latitude' },
    epsg: 4326,
    projected: false,
    axes: GEOGRAPHIC_AXES,
    decimals: 8,
    ogcWkt: WGS84_OGC,
    esriWkt: WGS84_ESRI,
    gpkg: { srsId: 4326, srsName: 'WGS 84 geodetic', organization: 'EPSG', organizationCoordsysId: 4326 },
    note: {
      zh: 'WGS 84（EPSG:4326）经纬度，即 GPS、OpenStreetMap 与 GeoJSON 使用的坐标。',
      en: 'WGS 84 (EPSG:4326) longitude/latitude, as used by GPS, OpenStreetMap and GeoJSON.',
    },
  },
  cgcs2000: {
    id: 'cgcs2000',
    label: { zh: 'CGCS2000 国家大地坐标系', en: 'CGCS2000 (China Geodetic Coordinate System 2000)' },
    epsg: 4490,
    projected: false,
    axes: GEOGRAPHIC_AXES,
    decimals: 8,
    ogcWkt:
      'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],' +
      'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]]',
    esriWkt:
      'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
    gpkg: { srsId: 4490, srsName: 'China Geodetic Coordinate System 2000', organization: 'EPSG', organizationCoordsysId: 4490 },
    note: {
      zh: 'CGCS2000（EPSG:4490）经纬度。CGCS2000 与 WGS 84 相差仅数厘米，低于本数据精度，故坐标数值与 WGS 84 导出相同，仅坐标系标注不同。',
      en: 'CGCS2000 (EPSG:4490) longitude/latitude. CGCS2000 and WGS 84 differ by a few centimetres, below this data’s accuracy, so the coordinates are the same numbers as in a WGS 84 export; only the CRS label differs.',
    },
  },
  webmercator: {
    id: 'webmercator',
    label: { zh: 'Web 墨卡托（米）', en: 'Web Mercator (metres)' },
    epsg: 3857,
    projected: true,
    axes: ['x', 'y'],
    decimals: 3,
    ogcWkt:
      'PROJCS["WGS 84 / Pseudo-Mercator",' +
      WGS84_OGC +
      ',PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],' +
      'UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],' +
      'EXTENSION["PROJ4","+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs"],AUTHORITY["EPSG","3857"]]',
    esriWkt:
      'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",' +
      WGS84_ESRI +
      ',PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],' +
      'PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]',
    gpkg: { srsId: 3857, srsName: 'WGS 84 / Pseudo-Mercator', organization: 'EPSG', organizationCoordsysId: 3857 },
    note: {
      zh: 'Web 墨卡托（EPSG:3857）平面坐标，单位米，与网络底图对齐；长度与面积有变形（重庆纬度上长度约放大 1.15 倍、面积约 1.32 倍），请勿直接量算。',
      en: 'Web Mercator (EPSG:3857) planar metres, aligned with web basemaps; lengths are stretched (about ×1.15 at Chongqing’s latitude, areas ×1.32), so do not measure on it.',
    },
  },
  gcj02: {
    id: 'gcj02',
    label: { zh: 'GCJ-02 火星坐标（高德/腾讯）', en: 'GCJ-02 (AMap/Tencent offset)' },
    epsg: null,
    projected: false,
    axes: GEOGRAPHIC_AXES,
    decimals: 8,
    ogcWkt: GCJ02.ogc,
    esriWkt: GCJ02.esri,
    gpkg: { srsId: 990002, srsName: 'GCJ-02', organization: 'child-friendly-city-atlas', organizationCoordsysId: 990002 },
    note: {
      zh: 'GCJ-02（国测局坐标，“火星坐标”）经纬度，用于叠加高德、腾讯地图。它没有 EPSG 代码：文件中的坐标系名为 GCJ-02，其基准与 WGS 84 相同（零参数转换），以便 QGIS/ArcGIS 不做偏移、直接与高德底图对齐（Shapefile 的 .prj 无法表达这一点，QGIS 会将其识别为 WGS 84）。请勿再转换为 WGS 84 使用。',
      en: 'GCJ-02 ("Mars" coordinates) longitude/latitude, for overlays on AMap and Tencent maps. It has no EPSG code: the file’s CRS is named GCJ-02 with a datum identical to WGS 84 (zero-parameter transformation), so QGIS/ArcGIS draw it over AMap tiles without a shift, which is what aligns it (a shapefile’s .prj cannot say this, so QGIS recognises it as WGS 84). Do not treat it as WGS 84 data.',
    },
  },
  bd09: {
    id: 'bd09',
    label: { zh: 'BD-09 百度坐标', en: 'BD-09 (Baidu offset)' },
    epsg: null,
    projected: false,
    axes: GEOGRAPHIC_AXES,
    decimals: 8,
    ogcWkt: BD09.ogc,
    esriWkt: BD09.esri,
    gpkg: { srsId: 990009, srsName: 'BD-09', organization: 'child-friendly-city-atlas', organizationCoordsysId: 990009 },
    note: {
      zh: 'BD-09（百度坐标）经纬度，用于百度地图 API。它没有 EPSG 代码：文件中的坐标系名为 BD-09，其基准与 WGS 84 相同（零参数转换）。',
      en: 'BD-09 (Baidu) longitude/latitude, for the Baidu Maps API. It has no EPSG code: the file’s CRS is named BD-09 with a datum identical to WGS 84 (zero-parameter transformation).',
    },
  },
};

export function isExportCrsId(s: string): s is ExportCrsId {
  return (EXPORT_CRS_IDS as readonly string[]).includes(s);
}

/**
 * WGS84 `[lng, lat]` → Web Mercator `[x, y]` metres (EPSG:3857). Latitudes beyond
 * ±{@link WEB_MERCATOR_MAX_LAT} are clamped to the edge of the square.
 *
 * @example
 * lngLatToWebMercator([180, 0]); // [20037508.342789244, 0]
 */
export function lngLatToWebMercator([lng, lat]: readonly [number, number]): [number, number] {
  const phi = (Math.max(-WEB_MERCATOR_MAX_LAT, Math.min(WEB_MERCATOR_MAX_LAT, lat)) * Math.PI) / 180;
  return [(WEB_MERCATOR_RADIUS_M * lng * Math.PI) / 180, WEB_MERCATOR_RADIUS_M * Math.log(Math.tan(Math.PI / 4 + phi / 2))];
}

/**
 * Web Mercator `[x, y]` metres → WGS84 `[lng, lat]`; the inverse of {@link lngLatToWebMercator}.
 * @example webMercatorToLngLat([0, 0]); // [0, 0]
 */
export function webMercatorToLngLat([x, y]: readonly [number, number]): [number, number] {
  const lng = (x / WEB_MERCATOR_RADIUS_M) * (180 / Math.PI);
  const lat = (2 * Math.atan(Math.exp(y / WEB_MERCATOR_RADIUS_M)) - Math.PI / 2) * (180 / Math.PI);
  return [lng, lat];
}

/** Round to `decimals` places, with -0 written as 0. */
export function roundTo(v: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(v * f) / f;
  return r === 0 ? 0 : r;
}

/**
 * A WGS84 `[lng, lat]` in the export CRS, rounded to the CRS's precision (1 mm). Returns a
 * new array; the input is not touched.
 *
 * @example
 * projectLngLat([106.55, 29.56], 'cgcs2000'); // [106.55, 29.56] (same numbers, see the module note)
 */
export function projectLngLat(lngLat: readonly [number, number], crs: ExportCrsId): [number, number] {
  const d = EXPORT_CRS[crs].decimals;
  let p: [number, number];
  switch (crs) {
    case 'wgs84':
    case 'cgcs2000':
      p = [lngLat[0], lngLat[1]];
      break;
    case 'webmercator':
      p = lngLatToWebMercator(lngLat);
      break;
    case 'gcj02':
    case 'bd09':
      p = fromWgs84(lngLat, crs);
      break;
  }
  return [roundTo(p[0], d), roundTo(p[1], d)];
}
