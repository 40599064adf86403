/**
 * CI must have every tool the suite uses: there, a missing one is a failure, not a silent
 * skip (the tests that need it skip themselves elsewhere, with their reason). .ci/run sets
 * CI and installs them: GDAL (ogrinfo reads the exports back), Debian's chromium (the browser
 * suites) and PostgreSQL with PostGIS on TEST_DATABASE_URL (the second database target).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

const onCi = !!process.env.CI;

describe.runIf(onCi)('tools CI must have (CI is set)', () => {
  it('ogrinfo (gdal-bin)', () => {
    const r = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' });
    expect(r.status, `ogrinfo --version failed (${r.error?.message ?? r.stderr}): install gdal-bin`).toBe(0);
  });

  it('/usr/bin/chromium', () => {
    expect(existsSync('/usr/bin/chromium'), '/usr/bin/chromium is missing: install the Debian chromium package').toBe(true);
  });

  it('PostGIS on TEST_DATABASE_URL', async () => {
    const url = process.env.TEST_DATABASE_URL;
    expect(url, 'TEST_DATABASE_URL is not set: point it at PostgreSQL with PostGIS (.ci/run does)').toBeTruthy();
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      const r = await client.query<{ v: string | null }>(
        "SELECT coalesce(installed_version, default_version) AS v FROM pg_available_extensions WHERE name = 'postgis'",
      );
      expect(r.rows[0]?.v, 'PostGIS is not available on TEST_DATABASE_URL: apt-get install postgresql-15-postgis-3').toBeTruthy();
    } finally {
      await client.end().catch(() => {});
    }
  });
});
