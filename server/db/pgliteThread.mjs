// The embedded database thread's entry (a worker thread runs plain JavaScript): it loads the
// TypeScript module through tsx's scoped loader, as server/analysis/worker.mjs does.
import { tsImport } from 'tsx/esm/api';

await tsImport('./pgliteThread.ts', import.meta.url);
