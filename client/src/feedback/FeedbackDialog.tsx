/**
 * "我有建议 / Tell us": a four-step flow a ten-year-old can follow on a phone —
 * 1 what (big buttons), 2 where (tap the map, or my location, or the map centre),
 * 3 optional words (≤ 500 characters, counted as the server counts) and age group,
 * 4 sent ("thanks, it shows after review"). A 400 names the field; a 429 says how long
 * to wait. Text is sent as JSON and shown only as React text.
 *
 * Non-modal (the map must stay tappable in step 2), so it is a labelled region-like
 * dialog without aria-modal; Esc closes it (ToolsHost).
 */
import { useEffect, useRef, useState } from 'react';
import {
  AGE_GROUPS,
  FEEDBACK_CATEGORIES,
  FEEDBACK_TEXT_MAX,
  charCount,
  type AgeGroupId,
  type FeedbackCategoryId,
} from '../../../core/feedback';
import { useAtlas } from '../store';
import { useTools } from '../editor/tools';
import { ApiError, request } from '../http';
import { useToolT, type ToolKey } from '../editor/i18n';
import '../editor/tools.css';
import { ToolPanelHead } from '../editor/ToolPanelHead';
import { LineIcon } from '../components/Icons';

/** Simple line icons (no emoji: not every device has a colour emoji font). */
const ICON_PATHS: Record<FeedbackCategoryId, string> = {
  // a slide
  want_playground: 'M4 20h16M6 20V6h3v14M6 9h3M6 13h3M9 6c4 0 5 8 11 12',
  // a baby bottle
  want_facility: 'M10 3h4v3h-4zM8 8h8v12a1 1 0 0 1-1 1H9a1 1 0 0 1-1-1zM8 12h8M8 16h8',
  // a zebra crossing with a warning mark
  unsafe_crossing: 'M3 6h18M3 18h18M6 8v8M10 8v8M14 8v8M18 8v8',
  // a warning triangle
  unsafe_place: 'M12 3 2 20h20zM12 9v5M12 17v.5',
  // a door with a cross
  facility_closed: 'M5 21V3h10v18M15 21h4M9 9l4 4M13 9l-4 4',
  // a pencil
  facility_wrong: 'M4 20l1-5L16 4l4 4L9 19zM14 6l4 4',
  // a speech bubble
  other: 'M4 5h16v10H9l-5 4z',
};

function CategoryGlyph({ id }: { id: FeedbackCategoryId }) {
  return (
    <LineIcon size={36}>
      <path d={ICON_PATHS[id]} />
    </LineIcon>
  );
}

const FIELD_NAMES: Record<string, ToolKey> = { text: 'fbText', coordinates: 'fbWhere', age_group: 'fbAge', category: 'fbWhat' };

type Step = 1 | 2 | 3 | 4;

export default function FeedbackDialog({ onClose }: { onClose: () => void }) {
  const { t, lang } = useToolT();
  const [step, setStep] = useState<Step>(1);
  const [category, setCategory] = useState<FeedbackCategoryId | null>(null);
  const [text, setText] = useState('');
  const [age, setAge] = useState<AgeGroupId | ''>('');
  const [busy, setBusy] = useState<'locating' | 'sending' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const point = useTools((s) => (s.pick?.purpose === 'feedback' ? s.pick.point : null));
  const headingRef = useRef<HTMLHeadingElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves to the heading of each step
  useEffect(() => {
    headingRef.current?.focus();
  }, [step]);

  // Step 2 captures map taps; leaving it (or closing) gives the map back — but the point stays shown until sent.
  useEffect(() => {
    if (step === 2) useTools.getState().startPick('feedback', useTools.getState().pick?.point ?? null);
  }, [step]);
  useEffect(() => () => useTools.getState().stopPick(), []);

  const count = charCount(text);
  const tooLong = count > FEEDBACK_TEXT_MAX;

  function choose(id: FeedbackCategoryId) {
    setCategory(id);
    setError(null);
    setStep(2);
  }

  function locate() {
    setError(null);
    if (!('geolocation' in navigator)) {
      setError(t('fbGeoFailed'));
      return;
    }
    setBusy('locating');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setBusy(null);
        useTools.getState().setPickPoint([pos.coords.longitude, pos.coords.latitude]);
      },
      () => {
        setBusy(null);
        setError(t('fbGeoFailed'));
      },
      { timeout: 15_000, maximumAge: 60_000 },
    );
  }

  async function send() {
    if (!category || !point || tooLong) return;
    setBusy('sending');
    setError(null);
    try {
      await request('POST', '/api/feedback', { body: { category, text, coordinates: point, ...(age ? { age_group: age } : {}) } });
      setStep(4);
      useTools.getState().stopPick();
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) setError(t('fbRateLimited', { s: e.retryAfterS ?? 60 }));
      else if (e instanceof ApiError && e.status === 400 && e.field) {
        const key = FIELD_NAMES[e.field.split('.')[0]];
        setError(t('fbFieldError', { field: key ? t(key) : e.field, message: e.message }));
      } else setError(t('fbError', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(null);
    }
  }

  function restart() {
    setStep(1);
    setCategory(null);
    setText('');
    setAge('');
    setError(null);
  }

  const chosen = FEEDBACK_CATEGORIES.find((c) => c.id === category);
  const label = (id: FeedbackCategoryId) =>
    id === 'want_playground' ? t('fbPlayground') : FEEDBACK_CATEGORIES.find((c) => c.id === id)!.name[lang];

  return (
    <section
      className={step === 2 ? 'tool-panel tool-panel--compact' : 'tool-panel'}
      role="dialog"
      aria-labelledby="fb-heading"
      data-map-overlay
      data-tool="feedback"
    >
      <ToolPanelHead
        id="fb-heading"
        title={step === 1 ? t('fbWhat') : step === 2 ? t('fbWhere') : step === 3 ? t('fbMore') : t('fbTitle')}
        closeLabel={t('close')}
        onClose={onClose}
        headingRef={headingRef}
      />
      <p className="tool-step">{t('fbStep', { n: step })}</p>

      {step === 1 && (
        <ul className="fb-choices">
          {FEEDBACK_CATEGORIES.map((c) => (
            <li key={c.id}>
              <button type="button" className="fb-choice" onClick={() => choose(c.id)} aria-pressed={category === c.id}>
                <span className="fb-choice__icon">
                  <CategoryGlyph id={c.id} />
                </span>
                <span className="fb-choice__text">{label(c.id)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}

      {step === 2 && (
        <div className="fb-where">
          {chosen && <p className="fb-hint">{chosen.hint[lang]}</p>}
          <p>{t('fbWhereHint')}</p>
          <p className={point ? 'fb-picked fb-picked--yes' : 'fb-picked'} role="status">
            {point ? t('fbPicked') : t('fbNotPicked')}
          </p>
          <div className="button-row">
            <button type="button" className="button" onClick={locate} disabled={busy === 'locating'}>
              {busy === 'locating' ? t('fbLocating') : t('fbUseLocation')}
            </button>
            <button type="button" className="button" onClick={() => useTools.getState().setPickPoint(useAtlas.getState().viewCentre)}>
              {t('fbUseCentre')}
            </button>
          </div>
          <div className="button-row">
            <button type="button" className="button" onClick={() => setStep(1)}>
              {t('back')}
            </button>
            <button type="button" className="button button--primary" onClick={() => setStep(3)} disabled={!point}>
              {t('next')}
            </button>
          </div>
        </div>
      )}

      {step === 3 && (
        <form
          className="fb-more"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <label htmlFor="fb-text">{t('fbText')}</label>
          <textarea
            id="fb-text"
            rows={4}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-describedby="fb-count"
            aria-invalid={tooLong}
          />
          <p id="fb-count" className={tooLong ? 'fb-count fb-count--over' : 'fb-count'} aria-live="polite">
            {t('fbCounter', { n: count, max: FEEDBACK_TEXT_MAX })}
          </p>
          <fieldset className="fb-ages">
            <legend>{t('fbAge')}</legend>
            {[{ id: '' as const, name: { zh: t('fbAgeNone'), en: t('fbAgeNone') } }, ...AGE_GROUPS].map((g) => (
              <label key={g.id || 'none'} className="fb-age">
                <input type="radio" name="fb-age" value={g.id} checked={age === g.id} onChange={() => setAge(g.id)} />
                <span>{g.name[lang]}</span>
              </label>
            ))}
          </fieldset>
          <div className="button-row">
            <button type="button" className="button" onClick={() => setStep(2)}>
              {t('back')}
            </button>
            <button type="submit" className="button button--primary" disabled={busy === 'sending' || tooLong}>
              {busy === 'sending' ? t('fbSending') : t('fbSend')}
            </button>
          </div>
        </form>
      )}

      {step === 4 && (
        <div className="fb-done">
          <p className="fb-thanks" role="status">
            {t('fbThanks')}
          </p>
          <div className="button-row">
            <button type="button" className="button" onClick={restart}>
              {t('fbAnother')}
            </button>
            <button type="button" className="button button--primary" onClick={onClose}>
              {t('close')}
            </button>
          </div>
        </div>
      )}

      {error && (
        <p className="tool-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
