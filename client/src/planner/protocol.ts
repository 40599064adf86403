/**
 * Messages between the planner and its what-if worker (./worker.ts). Every request has an
 * id; the worker answers each with the same id, in order. Typed arrays in results travel
 * as transferables.
 */
import type { EngineResult, Suggestion } from './engine';
import type { InputsResponse, MeasureMode } from '../../../core/api';

export type WorkerRequest =
  | { id: number; type: 'init'; inputs: InputsResponse; modes: MeasureMode[] }
  | { id: number; type: 'add'; lng: number; lat: number }
  | { id: number; type: 'remove'; facility: number }
  | { id: number; type: 'undo' }
  | { id: number; type: 'reset' }
  | { id: number; type: 'suggest' };

export type WorkerResponse =
  | { id: number; ok: true; result: EngineResult; suggestion?: Suggestion | null; primary: MeasureMode; ms: number }
  | { id: number; ok: false; error: string };

/** The typed arrays of a result, for `postMessage(…, transfer)`. */
export function transferablesOf(r: EngineResult): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const m of Object.values(r.modes)) {
    if (!m) continue;
    out.push(m.covered.buffer as ArrayBuffer);
    if (m.noAccess) out.push(m.noAccess.buffer as ArrayBuffer);
  }
  const f = r.facilities;
  out.push(f.lng.buffer as ArrayBuffer, f.lat.buffer as ArrayBuffer, f.active.buffer as ArrayBuffer, f.proposed.buffer as ArrayBuffer);
  return out;
}
