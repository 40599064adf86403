/**
 * What an OSM file reader calls for each entity during one pass. A reader skips the
 * work a pass does not need: no `node` handler → nodes are not decoded (PBF) or not
 * built (XML); `nodeTags: false` → node tags are not decoded.
 */
import type { OsmRelation, OsmWay } from '../../../../core/osm/extract';
import type { OsmTags } from '../../../../core/osm/tags';

export interface OsmVisitor {
  node?(id: number, lon: number, lat: number, tags: OsmTags | null): void;
  /** Decode node tags (default true); pass 3 needs coordinates only. */
  nodeTags?: boolean;
  way?(w: OsmWay): void;
  relation?(r: OsmRelation): void;
  /** Called now and then with bytes of the file consumed so far. */
  progress?(doneBytes: number, totalBytes: number): void;
}

export type OsmFormat = 'pbf' | 'xml' | 'overpass-json';

/** Errors that say which file and where (Martin's "one error type per subsystem with context"). */
export class OsmReadError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'OsmReadError';
  }
}
