/**
 * Shapes shared by every export writer: a layer's fields, the features a layer yields,
 * and the style a layer is drawn with in QGIS and KML.
 *
 * Geometry is GeoJSON. Features come out of a layer in WGS84 `[lng, lat]` and are
 * projected to the requested CRS once, at the edge ({@link ../export/crs}), before any
 * writer sees them.
 */
import type { Geometry } from 'geojson';
import type { Bilingual, MarkerShape } from '../catalogue';

export type { Bilingual };

/** Attribute types every format can carry (DBF, GPKG, FGB, KML, CSV, XLSX). */
export type FieldType = 'string' | 'integer' | 'real' | 'boolean' | 'date' | 'datetime';

export interface ExportField {
  /** Column name in every format but DBF: `[a-z][a-z0-9_]*`, at most 63 characters. */
  name: string;
  type: FieldType;
  /** Chinese and English titles: QGIS aliases, GPKG `gpkg_data_columns`, FGB column titles, KML display names. */
  zh: string;
  en: string;
  /** Preferred 10-character DBF name; derived from `name` when absent ({@link shortenFieldNames}). */
  dbf?: string;
  /** Decimal places written for `real` in DBF and CSV; default 6. */
  decimals?: number;
}

export type FieldValue = string | number | boolean | null;

/** The geometry types a layer can declare. Polygons are promoted to MultiPolygon etc. when the layer says so. */
export type ExportGeometryType = 'Point' | 'MultiPoint' | 'LineString' | 'MultiLineString' | 'Polygon' | 'MultiPolygon';

export interface ExportFeature {
  id: number | string;
  /** null = no geometry (written as a null shape / NULL blob). */
  geometry: Geometry | null;
  properties: Record<string, FieldValue>;
  /**
   * A point for the `lng`/`lat` (or `x`/`y`) columns of CSV and XLSX when the geometry is
   * not a point (a district's label point, a gap's point on surface).
   */
  labelPoint?: [number, number] | null;
}

/** How a layer looks when it opens in QGIS (`.qml`) or Google Earth (KML styles). */
export type LayerStyle =
  | {
      kind: 'categorized';
      /** The field whose values pick the class (a layer field name, not the DBF short name). */
      field: string;
      geometry: 'point';
      classes: readonly { value: string; label: string; colour: string; shape: MarkerShape }[];
      /** Marker diameter, mm. */
      sizeMm: number;
    }
  | {
      kind: 'single';
      geometry: 'point' | 'line' | 'polygon';
      /** Fill (polygons, markers) as `#rrggbb`, and its opacity 0–1. */
      fill: string;
      fillOpacity: number;
      stroke: string;
      strokeWidthMm: number;
      /** Field to label features with, if any. */
      labelField?: string;
    };

/** A source of the data in an export, with its dates. */
export interface DataSource {
  /** `facilities.source`, a table column or a dataset key. */
  id: string;
  description: string;
  /** Rows of this export that come from it, when countable. */
  records?: number;
  /** Newest date the source itself gives for its data (ISO 8601), if any. */
  sourceDate?: string | null;
  /** When the atlas last loaded or changed data from it (ISO 8601). */
  loadedAt?: string | null;
  note?: string;
}
