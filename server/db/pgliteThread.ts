/**
 * The embedded database's own thread (issue 12 §2). PGlite runs PostgreSQL as WebAssembly in
 * the thread that calls it, and turns every result into JavaScript objects there: on the thread
 * that serves HTTP, one analysis reading a district's network or surface held up every other
 * request for hundreds of milliseconds. Here it runs beside it; ./pglite.ts is the client.
 *
 * Two kinds of callers, one connection (PGlite is single-session):
 * - the request thread (parentPort): queries, exec, transactions, dump, close — served first;
 * - analysis workers (a MessagePort each, handed over with `attach`): queries only — served when
 *   no request-thread statement waits, so a burst of analyses never queues ahead of a tile.
 * A statement that has started is never interrupted; at most one runs at a time, as before.
 * While a transaction is open only its own statements run (PGlite's own rule, kept here).
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { postgisExtension } from './postgisBundle';
import { plainError, type ThreadData, type ThreadReady, type ThreadReply, type ThreadRequest } from './pgliteProtocol';

/**
 * bytea in and out as hex through Node's Buffer codec. PGlite 0.5.8's own (dist/chunk-*.js,
 * `bytea.serialize`/`parse`) maps every byte through `toString(16)`/`parseInt`: measured here,
 * 1 MB took 0.5 s to read and 1.5 s to write (0.04 s and 0.26 s this way). Same values: a Buffer
 * is a Uint8Array.
 */
const BYTEA_OID = 17;
const CODECS = {
  parsers: { [BYTEA_OID]: (s: string) => Buffer.from(s.slice(2), 'hex') },
  serializers: {
    [BYTEA_OID]: (v: unknown) => {
      if (!(v instanceof Uint8Array)) throw new TypeError('Invalid input for bytea type');
      return `\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
    },
  },
};

interface Job {
  req: Exclude<ThreadRequest, { op: 'attach' }>;
  reply: (r: ThreadReply, transfer?: ArrayBuffer[]) => void;
  /** An analysis worker's port (absent: the request thread). */
  from?: MessagePort;
}

async function main(): Promise<void> {
  const port = parentPort!;
  const data = workerData as ThreadData;
  let pg: PGlite;
  try {
    // PostGIS without raster, topology and TIGER (./postgisBundle.ts): ~300 MB less RSS, a faster open
    const postgis = postgisExtension();
    pg = data.dataDir
      ? await PGlite.create({ dataDir: data.dataDir, extensions: { postgis }, ...CODECS })
      : await PGlite.create({
          ...(data.templateFile ? { loadDataDir: new Blob([readFileSync(data.templateFile)]) } : {}),
          extensions: { postgis },
          ...CODECS,
        });
  } catch (e) {
    port.postMessage({ ready: false, error: plainError(e) } satisfies ThreadReady);
    return;
  }

  const first: Job[] = [];
  const analyses: Job[] = [];
  let running = false;
  let nextTx = 1;
  /** The open transaction: its statements only, until `end`. */
  let open: { n: number; tx: Transaction; finish: (commit: boolean) => void; done: Promise<void> } | null = null;

  const pick = (): Job | undefined => {
    if (open) {
      const i = first.findIndex((j) => 'tx' in j.req && j.req.tx === open!.n);
      return i >= 0 ? first.splice(i, 1)[0] : undefined;
    }
    return first.shift() ?? analyses.shift();
  };

  const run = async ({ req, reply }: Job): Promise<void> => {
    try {
      switch (req.op) {
        case 'query': {
          const q = req.tx ? open!.tx : pg;
          const r = await q.query(req.sql, req.params);
          reply({ id: req.id, rows: r.rows, affectedRows: r.affectedRows });
          return;
        }
        case 'exec': {
          await (req.tx ? open!.tx : pg).exec(req.sql);
          reply({ id: req.id });
          return;
        }
        case 'begin': {
          const n = nextTx++;
          let started!: () => void;
          const began = new Promise<void>((r) => (started = r));
          let finish!: (commit: boolean) => void;
          let tx!: Transaction;
          const done = pg.transaction(
            (t) =>
              new Promise<void>((commit, rollback) => {
                tx = t;
                finish = (c) => (c ? commit() : rollback(new RollbackRequested()));
                started();
              }),
          );
          // BEGIN failed: `done` rejects first
          await Promise.race([began, done]);
          open = { n, tx, finish, done };
          reply({ id: req.id, tx: n });
          return;
        }
        case 'end': {
          const o = open!;
          o.finish(req.commit);
          try {
            await o.done;
            reply({ id: req.id });
          } catch (e) {
            if (e instanceof RollbackRequested) reply({ id: req.id });
            else throw e;
          } finally {
            open = null;
          }
          return;
        }
        case 'dump': {
          await pg.exec('CHECKPOINT');
          const blob = (await pg.dumpDataDir('gzip')) as Blob;
          const bytes = await blob.arrayBuffer();
          reply({ id: req.id, bytes }, [bytes]);
          return;
        }
        case 'close': {
          await pg.close();
          reply({ id: req.id });
          port.close();
          return;
        }
      }
    } catch (e) {
      reply({ id: req.id, error: plainError(e) });
    }
  };

  const pump = (): void => {
    if (running) return;
    const job = pick();
    if (!job) return;
    running = true;
    // `begin` returns once its transaction is open; the transaction goes on in the background
    void run(job).finally(() => {
      running = false;
      pump();
    });
  };

  port.on('message', (req: ThreadRequest) => {
    if (req.op === 'attach') {
      serveAnalyses(req.port);
      return;
    }
    first.push({ req, reply: (r, transfer) => port.postMessage(r, transfer) });
    pump();
  });

  /** An analysis worker's port (server/analysis/worker.ts ProxyDb): reads, after the request thread's. */
  const serveAnalyses = (p: MessagePort): void => {
    p.on('message', (m: { id: number; op: 'query' | 'exec'; sql: string; params?: unknown[] }) => {
      const reply = (r: ThreadReply) => {
        try {
          p.postMessage(r);
        } catch {
          /* the job ended: nobody to answer */
        }
      };
      const req: Job['req'] =
        m.op === 'exec' ? { id: m.id, op: 'exec', sql: m.sql } : { id: m.id, op: 'query', sql: m.sql, params: m.params };
      analyses.push({ req, reply, from: p });
      pump();
    });
    // the job ended: its statements that have not started are dropped
    p.on('close', () => {
      for (let i = analyses.length - 1; i >= 0; i--) if (analyses[i].from === p) analyses.splice(i, 1);
    });
  };

  port.postMessage({ ready: true } satisfies ThreadReady);
}

class RollbackRequested extends Error {}

await main();
