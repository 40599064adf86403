/**
 * The moderation queue for editors: pins by status (pending first), each with its
 * category, words (as text), age group and place; approve / reject / merge as a duplicate
 * of another pin / reply / resolve. After each action the public pin layer reloads.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  AGE_GROUPS,
  FEEDBACK_CATEGORIES,
  FEEDBACK_STATUSES,
  type FeedbackFeature,
  type FeedbackProperties,
  type FeedbackStatus,
  type ModerationAction,
} from '../../../core/feedback';
import { useAtlas } from '../store';
import { ApiError, request } from '../http';
import { useToolT } from './i18n';
import { useTools } from './tools';
import { signOut } from './SignIn';
import './tools.css';
import { ToolPanelHead } from './ToolPanelHead';

type Pin = FeedbackFeature<FeedbackProperties>;

export default function ModerationQueue({ onClose }: { onClose: () => void }) {
  const { t, lang } = useToolT();
  const user = useTools((s) => s.user);
  const [status, setStatus] = useState<FeedbackStatus>('pending');
  const [pins, setPins] = useState<Pin[] | null>(null);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [error, setError] = useState<string | null>(null);
  const [seq, setSeq] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: seq is the reload trigger; t only words an error and a language switch must not refetch
  useEffect(() => {
    const ac = new AbortController();
    request<{ features: Pin[]; counts?: Record<string, number> }>('GET', '/api/feedback', {
      params: { status, limit: 200 },
      signal: ac.signal,
    }).then(
      (r) => {
        setPins(r.features);
        setCounts(r.counts ?? {});
      },
      (e: unknown) => {
        if (!ac.signal.aborted) setError(e instanceof ApiError && e.status === 401 ? t('signInAgain') : t('error', { message: String(e) }));
      },
    );
    return () => ac.abort();
  }, [status, seq]);

  const act = useCallback(
    async (id: number, body: { action?: ModerationAction; duplicate_of?: number; reply?: string }) => {
      setError(null);
      try {
        await request('PATCH', `/api/feedback/${id}`, { body });
        useTools.getState().bumpFeedback();
        setSeq((n) => n + 1);
      } catch (e) {
        setError(t('error', { message: e instanceof Error ? e.message : String(e) }));
      }
    },
    [t],
  );

  return (
    <section className="tool-panel" role="dialog" aria-labelledby="mod-heading" data-map-overlay data-tool="moderation">
      <ToolPanelHead id="mod-heading" title={t('modTitle')} closeLabel={t('close')} onClose={onClose} />
      {user && (
        <p className="tool-muted">
          {t('signedInAs', { name: user.display_name || user.username, role: user.role })}{' '}
          <button type="button" className="button button--small button--quiet" onClick={() => void signOut()}>
            {t('logout')}
          </button>
        </p>
      )}
      <label className="tool-inline">
        <span>{t('modStatus')}</span>
        <select value={status} onChange={(e) => setStatus(e.target.value as FeedbackStatus)}>
          {FEEDBACK_STATUSES.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name[lang]} ({counts[s.id] ?? 0})
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p className="tool-error" role="alert">
          {error}
        </p>
      )}
      {pins && pins.length === 0 && <p className="tool-muted">{t('modEmpty')}</p>}
      <ul className="mod-list" aria-live="polite">
        {pins?.map((p) => (
          <PinItem key={p.id} pin={p} onAct={act} />
        ))}
      </ul>
    </section>
  );
}

function PinItem({
  pin,
  onAct,
}: {
  pin: Pin;
  onAct: (id: number, body: { action?: ModerationAction; duplicate_of?: number; reply?: string }) => Promise<void>;
}) {
  const { t, lang } = useToolT();
  const p = pin.properties;
  const [reply, setReply] = useState(p.reply ?? '');
  const [dup, setDup] = useState('');
  const cat = FEEDBACK_CATEGORIES.find((c) => c.id === p.category);
  const age = AGE_GROUPS.find((a) => a.id === p.age_group);
  const can = (a: ModerationAction) =>
    ({
      approve: ['pending', 'rejected'],
      reject: ['pending', 'approved'],
      merge: ['pending', 'approved'],
      resolve: ['approved'],
      reopen: ['resolved'],
    })[a].includes(p.status);
  return (
    <li className="mod-item" data-feedback-id={p.id}>
      <p className="mod-item__title">
        <strong>
          #{p.id} {cat?.name[lang] ?? p.category}
        </strong>
        {age && <span className="tool-muted"> · {age.name[lang]}</span>}
        {p.supporters > 1 && <span className="tool-muted"> · {t('fbSupporters', { n: p.supporters })}</span>}
      </p>
      <p className="mod-item__text">{p.text || t('noText')}</p>
      <div className="button-row">
        <button
          type="button"
          className="button button--small"
          onClick={() =>
            useAtlas.setState((s) => ({ flyRequest: { center: pin.geometry.coordinates, seq: (s.flyRequest?.seq ?? 0) + 1 } }))
          }
        >
          {t('showOnMap')}
        </button>
        {can('approve') && (
          <button type="button" className="button button--small button--primary" onClick={() => void onAct(p.id, { action: 'approve' })}>
            {t('approve')}
          </button>
        )}
        {can('reject') && (
          <button type="button" className="button button--small" onClick={() => void onAct(p.id, { action: 'reject' })}>
            {t('reject')}
          </button>
        )}
        {can('resolve') && (
          <button
            type="button"
            className="button button--small"
            onClick={() => void onAct(p.id, { action: 'resolve', ...(reply ? { reply } : {}) })}
          >
            {t('resolve')}
          </button>
        )}
      </div>
      {can('merge') && (
        <form
          className="tool-inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (Number(dup) > 0) void onAct(p.id, { action: 'merge', duplicate_of: Number(dup) });
          }}
        >
          <label htmlFor={`dup-${p.id}`}>{t('mergeInto')}</label>
          <input id={`dup-${p.id}`} inputMode="numeric" size={6} value={dup} onChange={(e) => setDup(e.target.value.replace(/\D/g, ''))} />
          <button type="submit" className="button button--small">
            {t('merge')}
          </button>
        </form>
      )}
      <form
        className="tool-inline"
        onSubmit={(e) => {
          e.preventDefault();
          void onAct(p.id, { reply });
        }}
      >
        <label htmlFor={`reply-${p.id}`}>{t('reply')}</label>
        <input id={`reply-${p.id}`} value={reply} maxLength={1000} onChange={(e) => setReply(e.target.value)} />
        <button type="submit" className="button button--small">
          {t('replySend')}
        </button>
      </form>
    </li>
  );
}
