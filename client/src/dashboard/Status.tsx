/**
 * A status as icon + text + colour (WCAG 2.1 SC 1.4.1: never colour alone): ✓ met,
 * ✗ not met, ? no data, – not applicable. The icon is decorative; the words carry it.
 */
import type { IndicatorResultView, IndicatorStatus } from '../../../core/indicators';
import { isComputing, measureKey } from './format';
import { STATUS_LABEL, translator, type Lang } from './i18n';

/** A status, or a walking-coverage result still being computed (an hourglass, not the "?" of no data). */
export type StatusShown = IndicatorStatus | 'computing';

const PATHS: Record<StatusShown, string> = {
  met: 'M3.5 8.5l3 3 6-7',
  not_met: 'M4 4l8 8M12 4l-8 8',
  no_data: 'M6 6a2 2 0 1 1 2.8 1.8c-.5.3-.8.7-.8 1.2v.5M8 12.2v.3',
  not_applicable: 'M4 8h8',
  computing: 'M4.5 2.5h7M4.5 13.5h7M5 2.5c0 3 6 3 6 5.5S5 10.5 5 13.5M11 2.5c0 3-6 3-6 5.5s6 2.5 6 5.5',
};

/** What a result shows: `computing` for a walking-coverage result still to come, else its status. */
export function shownStatus(r: Pick<IndicatorResultView, 'status' | 'coverage'>): StatusShown {
  return isComputing(r) ? 'computing' : r.status;
}

/** The status in words ("计算中…" while computing), plus " · 直线距离" when measured in a straight line. */
export function statusWords(r: Pick<IndicatorResultView, 'status' | 'coverage'>, lang: Lang): string {
  const t = translator(lang);
  const s = shownStatus(r);
  const words = s === 'computing' ? t('statusComputing') : STATUS_LABEL[s][lang];
  const m = measureKey(r);
  return m ? `${words} · ${t(m)}` : words;
}

export function StatusIcon({ status }: { status: StatusShown }) {
  return (
    <svg className={`ind-icon ind-icon--${status}`} width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={PATHS[status]} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** Icon and the status in words (of a result: "计算中…" while computing, and how it was measured). */
export function StatusBadge({ result, lang }: { result: Pick<IndicatorResultView, 'status' | 'coverage'>; lang: Lang }) {
  const s = shownStatus(result);
  return (
    <span className={`ind-status ind-status--${s}`}>
      <StatusIcon status={s} />
      <span>{statusWords(result, lang)}</span>
    </span>
  );
}
