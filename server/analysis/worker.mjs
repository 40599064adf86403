// The analysis worker's entry (piscina loads plain JavaScript): it loads the TypeScript
// worker through tsx's scoped loader, so it works under `node --import tsx` and under vitest.
import { tsImport } from 'tsx/esm/api';

const mod = await tsImport('./worker.ts', import.meta.url);
export default mod.default;
