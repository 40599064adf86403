/**
 * What an export layer is. A layer knows its names, its geometry type, its fields, the
 * query parameters it takes (a zod object), how to stream its rows out of the database,
 * and what to say about itself; the export machinery (formats, CRSs, metadata, styles,
 * file names) is the same for every layer. Registering one is a `<name>.layer.ts` file and a
 * line in `layers.ts` (see docs/export.md).
 */
import type { z } from 'zod';
import type { Queryable } from '../../db/adapter';
import type { Bilingual, DataSource, ExportFeature, ExportField, ExportGeometryType, LayerStyle } from '../../../core/export/types';

export type { DataSource };

/** What a layer says about one export of it; all of it goes into the file's metadata. */
export interface LayerMetadata {
  /** Title of this export, e.g. "幼儿园 · 渝中区" / "Kindergartens · Yuzhong District". */
  title: Bilingual;
  /** The facility category the layer is about, when it is about one. */
  category?: { id: string; zh: string; en: string } | null;
  /** Coverage mode ('network' | 'euclidean'), for gap and served-area layers. */
  mode?: string | null;
  /** Service distance, metres, for gap and served-area layers. */
  distanceM?: number | null;
  /** The planning norm the distance comes from (standard and clause). */
  norm?: { source: string; citation: string } | null;
  /**
   * Pieces of the file name after the layer id, from validated parameters only
   * (category ids, district codes…); `null` pieces are dropped.
   */
  fileNameParts: (string | null | undefined)[];
  notes?: Bilingual[];
}

export interface ExportLayer<S extends z.ZodObject = z.ZodObject> {
  /** URL segment, GPKG table name and file-name prefix: `[a-z][a-z0-9_]*`. */
  id: string;
  name: Bilingual;
  description: Bilingual;
  geometryType: ExportGeometryType;
  fields: readonly ExportField[];
  /** Field that names a feature (KML `<name>`); optional. */
  titleField?: string;
  /**
   * Query parameters of the layer, besides the shared `format`, `crs`, `bundle` and `geom`.
   * Values arrive as strings (query string, CLI flags): use the shared schemas in
   * server/http/schemas.ts. Unknown parameters are refused before this runs.
   */
  params: S;
  /** Whether the layer can be exported from this database (e.g. its table exists); default yes. */
  available?(db: Queryable): Promise<boolean>;
  /**
   * The features, in WGS84, fetched page by page (see `keysetPages`): an export never
   * holds the whole layer in memory. Property keys are the field names; missing = null.
   */
  rows(db: Queryable, params: z.output<S>): AsyncIterable<ExportFeature>;
  /** Title, category, mode, distance and norm of this export; may read the database (e.g. a district's name). */
  metadata(params: z.output<S>, db: Queryable): LayerMetadata | Promise<LayerMetadata>;
  /** Where the data comes from and how recent it is. */
  sources?(db: Queryable, params: z.output<S>): Promise<DataSource[]>;
  /** QGIS/KML style; none = the reader's default. */
  style?: LayerStyle;
  /** A style that depends on the parameters (e.g. a category's colour); wins over `style`. */
  styleFor?(params: z.output<S>): LayerStyle;
}

/** Identity with types: `export const gapsLayer = defineLayer({ … })` checks `rows` against `params`. */
export function defineLayer<S extends z.ZodObject>(layer: ExportLayer<S>): ExportLayer<S> {
  return layer;
}

/** Column names the writers add themselves (GPKG key and geometry, CSV/XLSX coordinate columns). */
export const RESERVED_FIELD_NAMES = new Set(['fid', 'geom', 'wkt', 'lng', 'lat', 'x', 'y']);
/** Parameter names shared by every layer. */
export const SHARED_PARAMS = ['format', 'crs', 'bundle', 'geom'] as const;

export interface LayerRegistry {
  get(id: string): ExportLayer | undefined;
  all(): readonly ExportLayer[];
}

/**
 * A registry over `layers`, checking each once: ids and field names are identifiers (they
 * become table, column and file names), unique, not reserved, and what styles refer to exists.
 * @throws Error on a malformed layer (a programming error, caught by the tests at start).
 */
export function createLayerRegistry(layers: readonly ExportLayer[]): LayerRegistry {
  const byId = new Map<string, ExportLayer>();
  for (const l of layers) {
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(l.id)) throw new Error(`export layer id '${l.id}' must match [a-z][a-z0-9_]{0,39}`);
    if (byId.has(l.id)) throw new Error(`export layer '${l.id}' registered twice`);
    const names = new Set<string>();
    for (const f of l.fields) {
      if (!/^[a-z][a-z0-9_]{0,62}$/.test(f.name)) throw new Error(`${l.id}: field '${f.name}' must match [a-z][a-z0-9_]{0,62}`);
      if (RESERVED_FIELD_NAMES.has(f.name)) throw new Error(`${l.id}: field name '${f.name}' is reserved`);
      if (names.has(f.name)) throw new Error(`${l.id}: field '${f.name}' twice`);
      names.add(f.name);
    }
    if (l.titleField && !names.has(l.titleField)) throw new Error(`${l.id}: titleField '${l.titleField}' is not a field`);
    for (const p of SHARED_PARAMS) if (p in l.params.shape) throw new Error(`${l.id}: parameter '${p}' is shared and cannot be redefined`);
    byId.set(l.id, l);
  }
  return { get: (id) => byId.get(id), all: () => [...byId.values()] };
}

/** The layer's style for these parameters, if it has one. */
export function styleOf<S extends z.ZodObject>(layer: ExportLayer<S>, params: z.output<S>): LayerStyle | null {
  return layer.styleFor?.(params) ?? layer.style ?? null;
}
