/**
 * Exports of computed layers — `gaps`, `served`, `cells`, whose rows are a coverage analysis —
 * run in the analysis worker pool (server/analysis, issue 12 §2), never on the request thread:
 * the worker validates and writes the whole file (same {@link prepareExport} as the streamed
 * layers, so the same answers and error codes) and moves its bytes to the main thread.
 * Other layers are plain bounded queries and stream from the request thread.
 */
import type { Db } from '../../db/adapter';
import { JobFile } from '../../analysis/jobFile';
import { EXPORT_LAYERS } from './layers';
import { prepareExport } from './service';

/** Layers whose export is a coverage analysis: run in the pool. */
export const COMPUTED_LAYERS: ReadonlySet<string> = new Set(['gaps', 'served', 'cells']);

export interface ComputedExportTask {
  layer: string;
  /** The request's query, as strings (validated in the worker by prepareExport). */
  query: Record<string, unknown>;
  appVersion: string;
}

/** The whole file of one computed-layer export, in memory (a cells export is capped at CELLS_CAP records). */
export async function runComputedExport(db: Db, t: ComputedExportTask): Promise<JobFile> {
  const out = await prepareExport(db, EXPORT_LAYERS, t.layer, t.query, { appVersion: t.appVersion });
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const c of out.body) {
    chunks.push(c);
    size += c.byteLength;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return new JobFile(bytes, out.contentType, out.fileName);
}
