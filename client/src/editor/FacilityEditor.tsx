/**
 * Edit (or add) a facility: attributes, position (click the map), save with the version
 * that was edited — a 409 shows what the other editor saved beside the form's values and
 * lets this editor re-apply on top of it or take theirs — retire, and the history with
 * "revert to this version". Only changed fields are sent.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { AMENITY_KEYS, type Amenities, type FacilityFeature, type LngLat } from '../../../core/api';
import { CATEGORY_IDS, type CategoryId } from '../../../core/catalogue';
import { categoryName, translate, type MessageKey } from '../i18n';
import { useAtlas } from '../store';
import { ApiError, request } from '../http';
import { useToolT, type ToolKey } from './i18n';
import { useTools } from './tools';
import './tools.css';

interface Form {
  category: CategoryId;
  name_zh: string;
  name_en: string;
  address: string;
  opening_hours: string;
  capacity: string;
  age_min_years: string;
  age_max_years: string;
  ownership: 'public' | 'private' | 'unknown';
  inclusive: '' | 'true' | 'false';
  amenities: Amenities;
}

const str = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));

function formOf(f: FacilityFeature | null): Form {
  const p = f?.properties;
  return {
    category: p?.category ?? 'playground',
    name_zh: str(p?.name_zh),
    name_en: str(p?.name_en),
    address: str(p?.address),
    opening_hours: str(p?.opening_hours),
    capacity: str(p?.capacity),
    age_min_years: str(p?.age_min_years),
    age_max_years: str(p?.age_max_years),
    ownership: p?.ownership ?? 'unknown',
    inclusive: p?.inclusive === null || p?.inclusive === undefined ? '' : p.inclusive ? 'true' : 'false',
    amenities: { ...(p?.amenities ?? {}) },
  };
}

/** The form as API values. */
function valuesOf(form: Form): Record<string, unknown> {
  const txt = (s: string) => (s.trim() === '' ? null : s.trim());
  const num = (s: string) => (s.trim() === '' ? null : Number(s));
  return {
    category: form.category,
    name_zh: form.name_zh.trim(),
    name_en: txt(form.name_en),
    address: txt(form.address),
    opening_hours: txt(form.opening_hours),
    capacity: num(form.capacity),
    age_min_years: num(form.age_min_years),
    age_max_years: num(form.age_max_years),
    ownership: form.ownership,
    inclusive: form.inclusive === '' ? null : form.inclusive === 'true',
    amenities: form.amenities,
  };
}

const FIELD_LABEL: Record<string, ToolKey> = {
  category: 'category',
  name_zh: 'nameZh',
  name_en: 'nameEn',
  address: 'address',
  opening_hours: 'hours',
  capacity: 'capacity',
  age_min_years: 'ageMin',
  age_max_years: 'ageMax',
  ownership: 'ownership',
  inclusive: 'inclusive',
  amenities: 'amenities',
};

function changes(form: Form, base: FacilityFeature | null): Record<string, unknown> {
  const now = valuesOf(form);
  const was = valuesOf(formOf(base));
  return Object.fromEntries(Object.entries(now).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(was[k])));
}

interface HistoryEntry {
  version: number;
  changed_at: string;
  changed_by: string;
  action: string;
}

type Message = { kind: 'ok' | 'error'; text: string } | null;

export default function FacilityEditor({ facilityId, onClose }: { facilityId: number | null; onClose: () => void }) {
  const { t, lang } = useToolT();
  const [base, setBase] = useState<FacilityFeature | null>(null);
  const [form, setForm] = useState<Form>(formOf(null));
  const [conflict, setConflict] = useState<FacilityFeature | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  const [historySeq, setHistorySeq] = useState(0);
  const pick = useTools((s) => s.pick);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const conflictRef = useRef<HTMLDivElement>(null);
  const adding = facilityId === null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves to the heading each time another facility opens
  useEffect(() => headingRef.current?.focus(), [facilityId]);
  // A conflict is shown at the top of the panel: bring it into view and move focus there.
  useEffect(() => {
    if (!conflict) return;
    conflictRef.current?.scrollIntoView({ block: 'start' });
    conflictRef.current?.focus();
  }, [conflict]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: t only words an error message: switching language must not refetch the facility
  useEffect(() => {
    if (adding) {
      setBase(null);
      setForm(formOf(null));
      useTools.getState().startPick('add');
      return;
    }
    const ac = new AbortController();
    request<FacilityFeature>('GET', `/api/facilities/${facilityId}`, { signal: ac.signal }).then(
      (f) => {
        setBase(f);
        setForm(formOf(f));
      },
      (e: unknown) => !ac.signal.aborted && setMessage({ kind: 'error', text: t('error', { message: String(e) }) }),
    );
    return () => ac.abort();
  }, [facilityId, adding]);

  useEffect(() => () => useTools.getState().stopPick(), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: historySeq is the trigger: a save bumps it so the history reloads
  useEffect(() => {
    if (adding) return;
    const ac = new AbortController();
    request<{ versions: HistoryEntry[] }>('GET', `/api/facilities/${facilityId}/history`, {
      params: { limit: 20 },
      signal: ac.signal,
    }).then(
      (r) => setHistory(r.versions),
      () => undefined,
    );
    return () => ac.abort();
  }, [facilityId, adding, historySeq]);

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

  function done(f: FacilityFeature, text: string) {
    setBase(f);
    setForm(formOf(f));
    setConflict(null);
    setMessage({ kind: 'ok', text });
    setHistorySeq((n) => n + 1);
    useTools.getState().stopPick();
    if (useAtlas.getState().selectedId === f.id) useAtlas.getState().selectFacility(f);
  }

  async function save() {
    setBusy(true);
    setMessage(null);
    try {
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
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  }

  async function retire() {
    if (!base || !window.confirm(t('retireConfirm'))) return;
    setBusy(true);
    try {
      const f = await request<FacilityFeature>('DELETE', `/api/facilities/${base.id}`, { params: { version: base.properties.version } });
      done(f, t('retired'));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  }

  async function revert(toVersion: number) {
    if (!base) return;
    setBusy(true);
    try {
      const f = await request<FacilityFeature>('POST', `/api/facilities/${base.id}/revert`, {
        body: { toVersion, version: base.properties.version },
      });
      done(f, t('reverted', { v: toVersion, n: f.properties.version }));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  }

  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const input = (
    k: 'name_zh' | 'name_en' | 'address' | 'opening_hours' | 'capacity' | 'age_min_years' | 'age_max_years',
    numeric = false,
  ) => (
    <div className="tool-field">
      <label htmlFor={`ed-${k}`}>{t(FIELD_LABEL[k])}</label>
      <input
        id={`ed-${k}`}
        value={form[k]}
        inputMode={numeric ? 'decimal' : undefined}
        onChange={(e) => set(k, e.target.value)}
        required={k === 'name_zh'}
      />
    </div>
  );

  const theirs = conflict ? valuesOf(formOf(conflict)) : null;
  const mine = valuesOf(form);
  const shown = (v: unknown) => (v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

  return (
    <section className="tool-panel" role="dialog" aria-labelledby="ed-heading" data-map-overlay data-tool="editor">
      <div className="tool-panel__head">
        <h2 id="ed-heading" tabIndex={-1} ref={headingRef}>
          {adding && !base
            ? t('addTitle')
            : `${t('editTitle')}${base ? ` · ${base.properties.name_zh} (v${base.properties.version})` : ''}`}
        </h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t('close')}>
          <span aria-hidden="true">✕</span>
        </button>
      </div>

      {conflict && theirs && (
        <div className="tool-conflict" role="alert" ref={conflictRef} tabIndex={-1}>
          <h3>{t('conflictTitle')}</h3>
          <p>{t('conflictBody', { v: conflict.properties.version })}</p>
          <table>
            <thead>
              <tr>
                <th scope="col" />
                <th scope="col">{t('theirValue')}</th>
                <th scope="col">{t('yourValue')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.keys(theirs)
                .filter((k) => JSON.stringify(theirs[k]) !== JSON.stringify(mine[k]))
                .map((k) => (
                  <tr key={k}>
                    <th scope="row">{t(FIELD_LABEL[k])}</th>
                    <td>{shown(theirs[k])}</td>
                    <td>{shown(mine[k])}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          <div className="button-row">
            <button
              type="button"
              className="button button--primary"
              onClick={() => {
                // Re-apply only what this editor changed (against the version they loaded) on top of theirs.
                const loaded = formOf(base);
                const next = formOf(conflict);
                for (const k of Object.keys(form) as (keyof Form)[]) {
                  if (JSON.stringify(form[k]) !== JSON.stringify(loaded[k])) (next as unknown as Record<string, unknown>)[k] = form[k];
                }
                setBase(conflict);
                setForm(next);
                setConflict(null);
              }}
            >
              {t('conflictReapply')}
            </button>
            <button type="button" className="button" onClick={() => done(conflict, '')}>
              {t('conflictDiscard')}
            </button>
          </div>
        </div>
      )}

      <form
        className="tool-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {input('name_zh')}
        {input('name_en')}
        <div className="tool-field">
          <label htmlFor="ed-category">{t('category')}</label>
          <select id="ed-category" value={form.category} onChange={(e) => set('category', e.target.value as CategoryId)}>
            {CATEGORY_IDS.map((c) => (
              <option key={c} value={c}>
                {categoryName(c, lang)}
              </option>
            ))}
          </select>
        </div>
        {input('address')}
        {input('opening_hours')}
        {input('capacity', true)}
        <div className="tool-field-pair">
          {input('age_min_years', true)}
          {input('age_max_years', true)}
        </div>
        <div className="tool-field-pair">
          <div className="tool-field">
            <label htmlFor="ed-ownership">{t('ownership')}</label>
            <select id="ed-ownership" value={form.ownership} onChange={(e) => set('ownership', e.target.value as Form['ownership'])}>
              <option value="public">{t('ownPublic')}</option>
              <option value="private">{t('ownPrivate')}</option>
              <option value="unknown">{t('ownUnknown')}</option>
            </select>
          </div>
          <div className="tool-field">
            <label htmlFor="ed-inclusive">{t('inclusive')}</label>
            <select id="ed-inclusive" value={form.inclusive} onChange={(e) => set('inclusive', e.target.value as Form['inclusive'])}>
              <option value="">{t('incUnknown')}</option>
              <option value="true">{t('incYes')}</option>
              <option value="false">{t('incNo')}</option>
            </select>
          </div>
        </div>
        <fieldset className="tool-amenities">
          <legend>{t('amenities')}</legend>
          {AMENITY_KEYS.map((k) => (
            <label key={k}>
              <input
                type="checkbox"
                checked={!!form.amenities[k]}
                onChange={(e) => set('amenities', { ...form.amenities, [k]: e.target.checked })}
              />
              <span>{translate(lang, `amenity_${k}` as MessageKey)}</span>
            </label>
          ))}
        </fieldset>
        <div className="tool-field">
          <span className="tool-label">{t('position')}</span>
          <p className="tool-muted">
            {position ? t('positionValue', { lng: position[0].toFixed(5), lat: position[1].toFixed(5) }) : t('pickAdd')}
            {pick && pick.purpose !== 'feedback' && <span> — {adding ? t('pickAdd') : t('moveHint')}</span>}
          </p>
          {!adding && (
            <button
              type="button"
              className="button button--small"
              aria-pressed={pick?.purpose === 'move'}
              onClick={() =>
                pick ? useTools.getState().stopPick() : useTools.getState().startPick('move', base?.geometry.coordinates ?? null)
              }
            >
              {t('moveOnMap')}
            </button>
          )}
        </div>
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={busy || (!base && !adding)}>
            {busy ? t('saving') : t('save')}
          </button>
          {base && base.properties.status !== 'retired' && (
            <button type="button" className="button" onClick={() => void retire()} disabled={busy}>
              {t('retire')}
            </button>
          )}
        </div>
        {message?.text && (
          <p className={message.kind === 'ok' ? 'tool-ok' : 'tool-error'} role={message.kind === 'ok' ? 'status' : 'alert'}>
            {message.text}
          </p>
        )}
      </form>

      {!adding || base ? (
        <section aria-labelledby="ed-history" className="tool-history">
          <h3 id="ed-history">{t('history')}</h3>
          {!history ? (
            <p className="tool-muted">{t('historyLoading')}</p>
          ) : (
            <ol>
              {history.map((h) => (
                <li key={h.version} data-version={h.version}>
                  <span>
                    {t('historyEntry', {
                      v: h.version,
                      action: h.action,
                      by: h.changed_by,
                      at: new Date(h.changed_at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB'),
                    })}
                  </span>
                  {base && h.version < base.properties.version ? (
                    <button type="button" className="button button--small" onClick={() => void revert(h.version)} disabled={busy}>
                      {t('revert')}
                    </button>
                  ) : (
                    <span className="tool-muted"> ({t('current')})</span>
                  )}
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}
    </section>
  );
}
