/**
 * Automatic failover on real engines (issue 15): pg_auto_failover (scripts/cluster/autofailover.sh:
 * a monitor and two data nodes, Debian `postgresql-15-auto-failover`) behind the path of
 * `npm run cluster` — HAProxy in TCP mode sending connections only to the node that is a primary,
 * PgBouncer in transaction pooling, an app server on PgBouncer (tests/support/failover.ts). Under a
 * bounded write load (feedback POSTs), and with nobody running a promote command:
 * 1. the primary's PostgreSQL stops (`pg_ctl stop -m immediate`); its keeper reports it, the
 *    monitor promotes the standby, and the keeper brings the old primary back as the new standby;
 * 2. then the new primary's whole node is lost (keeper and PostgreSQL: a machine gone); the
 *    monitor's health checks find it and it promotes the standby again.
 * Each time the app carries on without a restart; every write acknowledged with 201 is on the new
 * primary; during the switch clients get 503 with Retry-After, never a 500. Prints the failover
 * times, the counts and the monitor's events.
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
const other = (port: string) => (port === '5441' ? '5442' : '5441');

describe.runIf(process.env.CI && !canRun)('automatic failover', () => {
  it('needs root, pg_autoctl, haproxy and pgbouncer (CI has them)', () => {
    throw new Error(
      'automatic failover test cannot run: needs root, /usr/bin/pg_autoctl (postgresql-15-auto-failover), haproxy and pgbouncer',
    );
  });
});

describe.skipIf(!canRun)('automatic failover: pg_auto_failover promotes the standby, nobody else', () => {
  let pair: AppOnPair;

  beforeAll(async () => {
    execFileSync('bash', [AF, 'up'], { stdio: 'pipe' });
    pair = await appOnPair({ node1: 5441, node2: 5442 });
  }, 180_000);
  afterAll(async () => {
    await pair?.close();
    execFileSync('bash', [AF, 'drop'], { stdio: 'pipe' });
  });

  /** `how` stops the primary; the other node must then be the monitor's primary. */
  async function failover(how: 'stop-postgres' | 'crash', label: string): Promise<void> {
    const primary = await af('primary');
    expect(['5441', '5442']).toContain(primary);
    const since = new Date().toISOString();
    await writeThroughFailover(pair, async () => void (await af(how, primary)), { label });
    expect(await af('primary'), 'the monitor holds the other node as primary').toBe(other(primary));
    console.log(`the monitor's events since the stop:\n${await af('events', since)}`);
  }

  it('the primary PostgreSQL stops: promoted without a command; acknowledged writes survive; 503 with Retry-After, never a 500', async () => {
    await failover('stop-postgres', 'AUTOMATIC FAILOVER (PostgreSQL stopped, its keeper running)');
  }, 120_000);

  it('then the new primary node is lost: the old primary, back as standby, is promoted in turn', async () => {
    // the keeper has brought the old primary back as the synchronous standby
    await af('wait-pair');
    await failover('crash', 'AUTOMATIC FAILOVER (node lost, keeper and PostgreSQL)');
  }, 120_000);
});
