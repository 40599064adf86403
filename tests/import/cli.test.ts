/**
 * The CLI end to end (`npm run import -- …`): a real process on an embedded PGlite folder,
 * its summary on stdout, its report file, its exit codes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config';
import { fixture } from './targets';
import { createMigratedFolder } from '../support/migratedFolder';

function runImport(args: string[], pgliteDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: pgliteDir };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'import.ts'), ...args], {
    cwd: PROJECT_ROOT,
    env,
    encoding: 'utf8',
    timeout: 200_000,
  });
}

describe('npm run import', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atlas-cli-'));
  const db = path.join(dir, 'pglite');
  // a migrated folder: the subject is the CLI, not a folder's first migration (tests/embedded has that)
  beforeAll(() => createMigratedFolder(db), 120_000);

  it('imports an OSM file and prints the summary; --strict with bad rows exits 2 and writes the report', () => {
    const ok = runImport([fixture('tiny.osm'), '--report', path.join(dir, 'osm.json')], db);
    expect(ok.stderr).toBe(''); // no progress bar when stderr is not a terminal
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/Imported: tiny\.osm \(xml\) as source "osm" → facilities \+ network/);
    expect(ok.stdout).toMatch(/read 4 {2}inserted 4 {2}updated 0 {2}unchanged 0 {2}retired 0 {2}rejected 0/);
    expect(JSON.parse(readFileSync(path.join(dir, 'osm.json'), 'utf8')).network.edges.read).toBe(5);
    expect(ok.stdout).toMatch(/ {2}basemap: {2}.*roads \d/);

    const report = path.join(dir, 'bad.csv');
    const bad = runImport([fixture('register-bad.csv'), '--strict', '--report', report], db);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toMatch(/NOT imported/);
    // no districts in this database: the default Chongqing extent admits row 10 (106.389 E), so 8, not 9
    expect(bad.stdout).toMatch(/strict: 8 row\(s\) rejected, nothing written/);
    expect(readFileSync(report, 'utf8')).toContain('swapped_coordinates');

    const usage = runImport(['--crs', 'mars', fixture('tiny.osm')], db);
    expect(usage.status).toBe(1);
    expect(usage.stderr).toMatch(/--crs mars/);
  }, 300_000); // three processes, two of which open a PGlite folder: slow on a busy 2-core CI
});
