import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./client', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/client', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    // `npm run dev`: the API runs separately on PORT (default 8080)
    proxy: { '/api': `http://127.0.0.1:${process.env.PORT ?? 8080}` },
  },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['core/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/**/*.test.ts'],
    // one migrated PGlite for the run; in-memory databases in the workers load its dump
    globalSetup: ['tests/support/pgliteTemplate.ts'],
    setupFiles: ['tests/support/loadTemplate.ts'],
    testTimeout: 60_000,
    // a file's beforeAll may wait for another file making the run's seeded dump (tests/support/seededTemplate.ts)
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
