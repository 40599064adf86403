/**
 * A status as icon + text + colour (WCAG 2.1 SC 1.4.1: never colour alone): ✓ met,
 * ✗ not met, ? no data, – not applicable. The icon is decorative; the words carry it.
 */
import type { IndicatorStatus } from '../../../core/indicators';
import { STATUS_LABEL, type Lang } from './i18n';

const PATHS: Record<IndicatorStatus, string> = {
  met: 'M3.5 8.5l3 3 6-7',
  not_met: 'M4 4l8 8M12 4l-8 8',
  no_data: 'M6 6a2 2 0 1 1 2.8 1.8c-.5.3-.8.7-.8 1.2v.5M8 12.2v.3',
  not_applicable: 'M4 8h8',
};

export function StatusIcon({ status }: { status: IndicatorStatus }) {
  return (
    <svg className={`ind-icon ind-icon--${status}`} width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={PATHS[status]} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** Icon and the status in words. */
export function StatusBadge({ status, lang }: { status: IndicatorStatus; lang: Lang }) {
  return (
    <span className={`ind-status ind-status--${status}`}>
      <StatusIcon status={status} />
      <span>{STATUS_LABEL[status][lang]}</span>
    </span>
  );
}
