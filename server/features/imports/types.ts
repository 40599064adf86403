/**
 * Options and summary of one import (the CLI's flags and what it prints; a later admin
 * API returns the same summary as JSON).
 */
import type { CategoryId } from '../../../core/catalogue';
import type { Crs } from '../../../core/datum';
import type { FacilityField } from '../../../core/import/columns';
import type { ImportKind, Rejection, WriteCounts } from '../../../core/import/types';

export interface ImportOptions {
  /** What to fill; undefined = detect from the file (OSM → facilities and network). */
  kind?: ImportKind;
  /** Datum of the file's coordinates; undefined = from the headers, else WGS84. */
  crs?: Crs;
  /** One category for every row (`--category`). */
  category?: CategoryId;
  /** Source name stored with every row; default 'osm' for OSM, else the file's base name. */
  source?: string;
  /** Validate and report, write nothing. */
  dryRun?: boolean;
  /** Write nothing if any row is rejected. */
  strict?: boolean;
  /** The file is the whole source: retire (facilities) or delete (network, cells) what it no longer has. */
  full?: boolean;
  /**
   * City-extent check: true/false forces it; undefined = on for tables and rasters, and
   * for OSM only when the extract lies near the city (see osm.ts).
   */
  extentCheck?: boolean;
  /** Column overrides (`--map name=机构名称,lng=X`). */
  map?: Partial<Record<FacilityField, string>>;
  /** XLSX worksheet name (default: the first). */
  sheet?: string;
  /** Progress callback (the CLI draws a bar on a TTY). */
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
}

export interface NetworkSummary {
  ways: number;
  walkableWays: number;
  edges: WriteCounts & { read: number };
  nodes: WriteCounts & { read: number };
  lengthKm: number;
  stepsEdges: number;
  crossingEdges: number;
  crossingNodes: number;
  /** Way-node references to nodes not in the file (ways cut at the extract's edge). */
  missingNodeRefs: number;
  nodeRefs: number;
  waysCut: number;
  /** Edges dropped by the city-extent check. */
  outsideExtent: number;
}

export interface ImportSummary {
  file: string;
  format: string;
  /** Tables filled: 'facilities', 'network', 'population', 'districts'. */
  kinds: ImportKind[];
  source: string;
  crs: Crs;
  encoding?: string;
  dryRun: boolean;
  strict: boolean;
  full: boolean;
  /** done = committed; dry-run = validated only; failed = nothing written (strict, or an error). */
  status: 'done' | 'dry-run' | 'failed';
  message?: string;
  runId: number | null;
  /** Records read from the file (facilities for OSM and registers; cells; districts; census rows). */
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  retired: number;
  rejected: number;
  /** Rejected rows with reasons (the first 10,000; `rejected` has the full count). */
  rejections: Rejection[];
  byCategory?: Record<string, number>;
  network?: NetworkSummary;
  /** OSM imports: basemap rows written per layer and layer/kind (server/features/basemap/write.ts). */
  basemap?: {
    byLayer: Record<string, number>;
    byKind: Record<string, number>;
    replaced: number;
    objects: number;
    areasIncomplete: number;
    linesCut: number;
    ms: number;
  };
  /** Population imports: cells skipped for lying outside the extent, districts updated… */
  details?: Record<string, unknown>;
  /** [w, s, e, n] of what the file holds that was kept (OSM: facilities and network edges); null when nothing. */
  dataBbox?: [number, number, number, number] | null;
  extent: { bbox: [number, number, number, number] | null; from: 'districts' | 'default' | 'off' };
  warnings: string[];
  timings: { parseMs: number; writeMs: number; totalMs: number };
  rates: { featuresPerS: number; edgesPerS: number };
  /** Peak resident set size of the process during the import (sampled every 50 ms)… */
  peakRssMb: number;
  /** … and before it: PGlite's WebAssembly heap alone is about 1 GB of RSS, so the difference is the import's own. */
  baselineRssMb: number;
  reportPath?: string;
}

export const MAX_REJECTIONS_KEPT = 10_000;
