/**
 * Keyset pagination for exports: each page is `WHERE key > $after ORDER BY key LIMIT $n`,
 * so every query is bounded, memory holds one page, and the database never keeps a
 * cursor open between pages (PGlite has one connection shared with the API; a pooled
 * `pg` connection is returned between pages). Pages are not one snapshot: an edit made
 * during a long export may or may not be in it, as with any paged read.
 */

/** Rows per page for point layers; polygon layers pass smaller pages. */
export const DEFAULT_PAGE_SIZE = 1000;

/**
 * Every row, page by page.
 * @param fetchPage rows with key > `after` (all rows when `after` is null), in key order, at most `limit`.
 * @example
 * for await (const r of keysetPages((after, n) => db.query(SQL, [after, n]).then((x) => x.rows), (r) => r.id)) …
 */
export async function* keysetPages<R, K>(
  fetchPage: (after: K | null, limit: number) => Promise<R[]>,
  keyOf: (row: R) => K,
  pageSize = DEFAULT_PAGE_SIZE,
): AsyncGenerator<R> {
  let after: K | null = null;
  for (;;) {
    const rows = await fetchPage(after, pageSize);
    yield* rows;
    if (rows.length < pageSize) return;
    after = keyOf(rows[rows.length - 1]);
  }
}
