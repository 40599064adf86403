/**
 * `npm run export`: the CLI opens the configured database (here a PGlite folder holding
 * the API fixture), writes the file under the generated name or --out, and reports
 * refused combinations with exit code 1. (Each run boots PGlite, about 10 s: kept to three.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../server/db/open';
import { loadFixture } from '../api/fixture';
import { PROJECT_ROOT } from '../../server/config';
import { createMigratedFolder } from '../support/migratedFolder';

let dir: string;
let pgliteDir: string;

/** Run the CLI; each run boots PGlite, so allow for a slow, busy machine. */
function cli(args: string[], cwd = dir): Promise<{ code: number; out: string; err: string }> {
  const { DATABASE_URL: _unused, ...env } = process.env; // the PGlite folder, whatever the caller's environment says
  const tsx = path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsx, path.join(PROJECT_ROOT, 'scripts', 'export.ts'), ...args],
      { cwd, encoding: 'utf8', env: { ...env, PGLITE_DIR: pgliteDir, LOG_LEVEL: 'silent' }, timeout: CLI_TIMEOUT_MS },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out: stdout, err: stderr }),
    );
  });
}

const CLI_TIMEOUT_MS = 170_000;

describe('npm run export', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atlas-export-cli-'));
    pgliteDir = path.join(dir, 'pglite');
    await createMigratedFolder(pgliteDir);
    const { db } = await openDatabase({ pgliteDir });
    await loadFixture(db);
    await db.close();
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'exports kindergartens as a CGCS2000 GeoPackage to --out',
    async () => {
      const out = path.join(dir, 'kg.gpkg');
      const r = await cli(['--layer', 'facilities', '--category', 'kindergarten', '--format', 'gpkg', '--crs', 'cgcs2000', '--out', out]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`${out}: 1 features`);
      expect(readFileSync(out).subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
      expect(existsSync(`${out}.partial`)).toBe(false);
    },
    CLI_TIMEOUT_MS + 10_000,
  );

  it(
    'names the file itself when --out is a folder, and takes --key=value',
    async () => {
      const r = await cli(['--layer=districts', '--format=csv', '--district=500103', `--out=${dir}`]);
      expect(r.code).toBe(0);
      const made = readdirSync(dir).filter((f) => f.startsWith('districts_500103_wgs84_') && f.endsWith('.csv'));
      expect(made).toHaveLength(1);
      expect(readFileSync(path.join(dir, made[0]), 'utf8')).toContain('渝中区');
    },
    CLI_TIMEOUT_MS + 10_000,
  );

  it(
    'refuses a bad combination with the API’s message and exit code 1, leaving no file',
    async () => {
      const before = readdirSync(dir).length;
      const r = await cli(['--layer', 'districts', '--format', 'kml', '--crs', 'webmercator']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^export: crs: KML coordinates are always longitude,latitude/);
      expect(readdirSync(dir).length).toBe(before);
    },
    CLI_TIMEOUT_MS + 10_000,
  );
});
