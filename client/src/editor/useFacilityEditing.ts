/**
 * The facility editor's state and actions: load the facility (or start a pick to add one),
 * its history, save with the version that was edited (a 409 becomes a conflict to resolve),
 * retire and revert. The panel's components only render what this returns.
 */
import { useCallback, useEffect, useState } from 'react';
import type { FacilityFeature, LngLat } from '../../../core/api';
import { useAtlas } from '../store';
import { ApiError, request } from '../http';
import { useToolT } from './i18n';
import { useTools } from './tools';
import { changes, formOf, reapply, valuesOf, type Form } from './facilityForm';

export interface HistoryEntry {
  version: number;
  changed_at: string;
  changed_by: string;
  action: string;
}

export type Message = { kind: 'ok' | 'error'; text: string } | null;

/** Loads facility `facilityId` into the form, or starts an "add" pick when it is null. */
function useFacilityLoad(facilityId: number | null, setLoaded: (f: FacilityFeature | null) => void, setMessage: (m: Message) => void) {
  const { t } = useToolT();
  const adding = facilityId === null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: t only words an error message: switching language must not refetch the facility
  useEffect(() => {
    if (adding) {
      setLoaded(null);
      useTools.getState().startPick('add');
      return;
    }
    const ac = new AbortController();
    request<FacilityFeature>('GET', `/api/facilities/${facilityId}`, { signal: ac.signal }).then(setLoaded, (e: unknown) => {
      if (!ac.signal.aborted) setMessage({ kind: 'error', text: t('error', { message: String(e) }) });
    });
    return () => ac.abort();
  }, [facilityId, adding, setLoaded, setMessage]);

  useEffect(() => () => useTools.getState().stopPick(), []);
}

/** The last 20 versions of the facility, reloaded whenever `seq` changes (after each save). */
function useFacilityHistory(facilityId: number | null, seq: number): HistoryEntry[] | null {
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: seq is the trigger: a save bumps it so the history reloads
  useEffect(() => {
    if (facilityId === null) return;
    const ac = new AbortController();
    request<{ versions: HistoryEntry[] }>('GET', `/api/facilities/${facilityId}/history`, {
      params: { limit: 20 },
      signal: ac.signal,
    }).then(
      (r) => setHistory(r.versions),
      () => undefined,
    );
    return () => ac.abort();
  }, [facilityId, seq]);
  return history;
}

export function useFacilityEditing(facilityId: number | null) {
  const { t } = useToolT();
  const [base, setBase] = useState<FacilityFeature | null>(null);
  const [form, setForm] = useState<Form>(formOf(null));
  const [conflict, setConflict] = useState<FacilityFeature | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const [historySeq, setHistorySeq] = useState(0);
  const pick = useTools((s) => s.pick);
  const adding = facilityId === null;

  const load = useCallback((f: FacilityFeature | null) => {
    setBase(f);
    setForm(formOf(f));
  }, []);
  useFacilityLoad(facilityId, load, setMessage);
  const history = useFacilityHistory(facilityId, historySeq);

  const newPoint: LngLat | null = pick && pick.purpose !== 'feedback' ? pick.point : null;
  const position = newPoint ?? base?.geometry.coordinates ?? null;

  const fail = useCallback(
    (e: unknown) => {
      if (e instanceof ApiError && e.status === 409 && e.details?.current) {
        setConflict(e.details.current as FacilityFeature);
        return;
      }
      const text =
        e instanceof ApiError && e.status === 401
          ? t('signInAgain')
          : e instanceof ApiError && e.field
            ? `${e.field}: ${e.message}`
            : String(e instanceof Error ? e.message : e);
      setMessage({ kind: 'error', text: t('error', { message: text }) });
    },
    [t],
  );

  /** A write succeeded (or the editor took the other version): show it, reload the history. */
  function done(f: FacilityFeature, text: string) {
    load(f);
    setConflict(null);
    setMessage({ kind: 'ok', text });
    setHistorySeq((n) => n + 1);
    useTools.getState().stopPick();
    if (useAtlas.getState().selectedId === f.id) useAtlas.getState().selectFacility(f);
  }

  /** Runs one write while `busy`; errors go to {@link fail}. */
  async function run(write: () => Promise<void>) {
    setBusy(true);
    try {
      await write();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  }

  const save = () => {
    setMessage(null);
    return run(async () => {
      if (adding && !base) {
        if (!position) {
          setMessage({ kind: 'error', text: t('pickAdd') });
          return;
        }
        const f = await request<FacilityFeature>('POST', '/api/facilities', { body: { ...valuesOf(form), coordinates: position } });
        done(f, t('created', { id: f.id }));
        return;
      }
      if (!base) return;
      const body: Record<string, unknown> = { version: base.properties.version, ...changes(form, base) };
      if (newPoint) body.coordinates = newPoint;
      const f = await request<FacilityFeature>('PATCH', `/api/facilities/${base.id}`, { body });
      done(f, t('saved', { v: f.properties.version }));
    });
  };

  const retire = async () => {
    if (!base || !window.confirm(t('retireConfirm'))) return;
    await run(async () => {
      const f = await request<FacilityFeature>('DELETE', `/api/facilities/${base.id}`, { params: { version: base.properties.version } });
      done(f, t('retired'));
    });
  };

  const revert = async (toVersion: number) => {
    if (!base) return;
    await run(async () => {
      const f = await request<FacilityFeature>('POST', `/api/facilities/${base.id}/revert`, {
        body: { toVersion, version: base.properties.version },
      });
      done(f, t('reverted', { v: toVersion, n: f.properties.version }));
    });
  };

  /** Resolves a conflict: re-apply this editor's changes on top of theirs, or take theirs as saved. */
  const resolveConflict = (how: 'reapply' | 'discard') => {
    if (!conflict) return;
    if (how === 'discard') return done(conflict, '');
    setForm(reapply(form, base, conflict));
    setBase(conflict);
    setConflict(null);
  };

  const setField = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));

  return {
    adding,
    base,
    form,
    setField,
    conflict,
    busy,
    message,
    history,
    pick,
    position,
    save,
    retire,
    revert,
    resolveConflict,
  };
}
