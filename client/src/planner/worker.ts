/**
 * The planner's what-if worker: holds one {@link Engine} (core/coverage on the inputs of
 * `GET /api/coverage/inputs`) and answers add / remove / undo / reset / suggest with the
 * updated coverage, off the main thread so the map stays smooth.
 */
/// <reference lib="webworker" />
import { createEngine, type Engine } from './engine';
import { transferablesOf, type WorkerRequest, type WorkerResponse } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

let engine: Engine | null = null;

function reply(msg: WorkerResponse): void {
  self.postMessage(msg, msg.ok ? transferablesOf(msg.result) : []);
}

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  const t0 = performance.now();
  try {
    if (req.type === 'init') engine = createEngine(req.inputs, req.modes);
    if (!engine) throw new Error('the what-if engine is not initialised');
    let suggestion: ReturnType<Engine['suggest']> | undefined;
    let result: ReturnType<Engine['result']>;
    switch (req.type) {
      case 'init':
        result = engine.result();
        break;
      case 'add':
        result = engine.add(req.lng, req.lat);
        break;
      case 'remove':
        result = engine.remove(req.facility);
        break;
      case 'undo':
        result = engine.undo();
        break;
      case 'reset':
        result = engine.reset();
        break;
      case 'suggest':
        suggestion = engine.suggest();
        result = engine.result();
        break;
    }
    reply({ id: req.id, ok: true, result, suggestion, primary: engine.primary, ms: performance.now() - t0 });
  } catch (e) {
    reply({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
};
