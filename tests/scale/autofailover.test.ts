/**
 * Automatic failover on real engines (issue 15): pg_auto_failover (scripts/cluster/autofailover.sh:
 * a monitor and two data nodes, Debian `postgresql-15-auto-failover`) behind the path of
 * `npm run cluster` — HAProxy in TCP mode sending connections only to the node that is a primary,
 * PgBouncer in transaction pooling, an app server on PgBouncer (tests/support/failover.ts). Under a
 * bounded write load (feedback POSTs) the primary's node stops at once, its pg_autoctl supervisor
 * with it (a machine lost: a supervisor left running would only restart its PostgreSQL), and
 * nobody promotes by hand: the monitor finds the node unhealthy and promotes the standby. The app
 * carries on without a restart; every write acknowledged with 201 is on the new primary; during
 * the switch clients get 503 with Retry-After, never a 500. Prints the failover time and the counts.
 * Needs root, pg_autoctl, /usr/sbin/haproxy and /usr/sbin/pgbouncer (.ci/run installs them); skipped otherwise.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAPROXY } from '../../scripts/cluster/balancer';
import { PGBOUNCER } from '../../scripts/cluster/pgbouncer';
import { PROJECT_ROOT } from '../../server/config';
import { appOnPair, writeThroughFailover, type AppOnPair } from '../support/failover';

const run = promisify(execFile);
const AF = path.join(PROJECT_ROOT, 'scripts/cluster/autofailover.sh');
const PG_AUTOCTL = '/usr/bin/pg_autoctl';
const canRun = process.getuid?.() === 0 && existsSync(PG_AUTOCTL) && existsSync(HAPROXY) && existsSync(PGBOUNCER);
const af = async (...args: string[]) => (await run('bash', [AF, ...args])).stdout.trim();

describe.runIf(process.env.CI && !canRun)('automatic failover', () => {
  it('needs root, pg_autoctl, haproxy and pgbouncer (CI has them)', () => {
    throw new Error(
      'automatic failover test cannot run: needs root, /usr/bin/pg_autoctl (postgresql-15-auto-failover), haproxy and pgbouncer',
    );
  });
});

describe.skipIf(!canRun)('automatic failover: the primary node is lost, pg_auto_failover promotes the standby', () => {
  let pair: AppOnPair;

  beforeAll(async () => {
    execFileSync('bash', [AF, 'up'], { stdio: 'pipe' });
    pair = await appOnPair({ node1: 5441, node2: 5442 });
  }, 120_000);
  afterAll(async () => {
    await pair?.close();
    execFileSync('bash', [AF, 'drop'], { stdio: 'pipe' });
  });

  it('no promote command: the monitor promotes; every acknowledged write survives; 503 with Retry-After, never a 500', async () => {
    const primary = await af('primary');
    expect(['5441', '5442']).toContain(primary);
    const since = new Date().toISOString();
    await writeThroughFailover(pair, async () => void (await af('crash', primary)), { label: 'AUTOMATIC FAILOVER (pg_auto_failover)' });
    expect(await af('primary'), 'the monitor holds the other node as primary').toBe(primary === '5441' ? '5442' : '5441');
    console.log(`the monitor's events since the crash:\n${await af('events', since)}`);
  }, 120_000);
});
