/**
 * Shared machinery of every import: the summary being filled, timing and peak-RSS
 * sampling, the city extent, and the one rule for writing — validate everything first,
 * then (unless dry-run, or strict with rejections) write in ONE transaction.
 */
import type { Db, Queryable } from '../../db/adapter';
import { DEFAULT_EXTENT, extentWithMargin, type Bbox } from '../../../core/import/coordinates';
import type { Rejection } from '../../../core/import/types';
import { MAX_REJECTIONS_KEPT, type ImportOptions, type ImportSummary } from './types';
import { deleteSurfaces } from '../coverage/persist';

export class ImportContext {
  readonly started = performance.now();
  private parseEnd: number | null = null;
  private writeStart: number | null = null;
  private writeEnd: number | null = null;
  private readonly baselineRss = process.memoryUsage().rss;
  private peakRss = this.baselineRss;
  private timer: NodeJS.Timeout;

  constructor(
    readonly db: Db,
    readonly file: string,
    readonly opts: ImportOptions,
    readonly summary: ImportSummary,
  ) {
    // RSS sampled every 50 ms (and at each phase), unref'd so it never keeps the process alive
    this.timer = setInterval(() => this.sampleRss(), 50);
    this.timer.unref();
  }

  sampleRss(): void {
    const rss = process.memoryUsage().rss;
    if (rss > this.peakRss) this.peakRss = rss;
  }

  progress(phase: string, done: number, total: number): void {
    this.opts.onProgress?.({ phase, done, total });
  }

  reject(r: Rejection): void {
    this.summary.rejected++;
    if (this.summary.rejections.length < MAX_REJECTIONS_KEPT) this.summary.rejections.push(r);
  }

  rejectAll(rs: Iterable<Rejection>): void {
    for (const r of rs) this.reject(r);
  }

  warn(message: string): void {
    this.summary.warnings.push(message);
  }

  parsed(): void {
    this.sampleRss();
    this.parseEnd ??= performance.now();
  }

  /**
   * Write with `fn` in one transaction — or not at all: a dry run stops here (status
   * 'dry-run'), and so does a strict import with rejected rows (status 'failed').
   * Returns whether `fn` ran and committed.
   */
  async write(fn: (tx: Queryable) => Promise<void>): Promise<boolean> {
    this.parsed();
    if (this.opts.strict && this.summary.rejected > 0) {
      this.summary.status = 'failed';
      this.summary.message = `strict: ${this.summary.rejected} row(s) rejected, nothing written`;
      return false;
    }
    if (this.opts.dryRun) {
      this.summary.status = 'dry-run';
      return false;
    }
    this.writeStart = performance.now();
    await this.db.transaction(async (tx) => {
      await fn(tx);
      // the persisted population surfaces are derived from districts, population cells, the
      // network and facilities: any import that writes makes them stale (issue 13)
      await deleteSurfaces(tx);
    });
    this.writeEnd = performance.now();
    this.sampleRss();
    this.summary.status = 'done';
    return true;
  }

  /** Fill timings, rates and peak RSS. */
  finish(edges = 0): void {
    clearInterval(this.timer);
    this.sampleRss();
    const end = performance.now();
    const parseEnd = this.parseEnd ?? end;
    const totalMs = end - this.started;
    this.summary.timings = {
      parseMs: Math.round(parseEnd - this.started),
      writeMs: this.writeStart !== null && this.writeEnd !== null ? Math.round(this.writeEnd - this.writeStart) : 0,
      totalMs: Math.round(totalMs),
    };
    const s = totalMs / 1000 || 1e-3;
    this.summary.rates = { featuresPerS: Math.round(this.summary.read / s), edgesPerS: Math.round(edges / s) };
    this.summary.peakRssMb = Math.round((this.peakRss / 1048576) * 10) / 10;
    this.summary.baselineRssMb = Math.round((this.baselineRss / 1048576) * 10) / 10;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * The city extent: the loaded districts' bounding box plus the margin, or Chongqing's
 * default box when no districts are loaded (core/import/coordinates.ts).
 */
export async function loadExtent(q: Queryable): Promise<{ bbox: Bbox; from: 'districts' | 'default' }> {
  const r = await q.query<{ w: number | null; s: number | null; e: number | null; n: number | null }>(
    `SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n FROM (SELECT ST_Extent(geom)::geometry AS x FROM districts) t`,
  );
  const row = r.rows[0];
  if (row && row.w !== null && row.s !== null && row.e !== null && row.n !== null) {
    return { bbox: extentWithMargin([row.w, row.s, row.e, row.n]), from: 'districts' };
  }
  return { bbox: extentWithMargin(DEFAULT_EXTENT), from: 'default' };
}
