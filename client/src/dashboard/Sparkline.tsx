/**
 * A small inline SVG trend of one indicator over the saved snapshots, with the target as
 * a dashed line. It is an image with a text alternative that lists the values, so the
 * trend is not visual-only.
 */
import type { IndicatorId, SnapshotPoint } from '../../../core/indicators';
import { sparklinePoints } from './sparkline';
import { formatValue } from './format';
import type { Lang, T } from './i18n';

const W = 96;
const H = 26;

export function Sparkline({
  snapshots,
  id,
  target,
  lang,
  t,
}: {
  snapshots: readonly SnapshotPoint[];
  id: IndicatorId;
  target: number | null;
  lang: Lang;
  t: T;
}) {
  const values = snapshots.map((s) => s.indicators[id]?.value ?? null);
  const known = values.filter((v): v is number => v !== null);
  if (!snapshots.length) return <span className="ind-muted">{t('trendNone')}</span>;
  const date = (iso: string) => iso.slice(0, 10);
  const label = t('trendLabel', {
    points: values.map((v) => formatValue(v, lang)).join(' → '),
    n: snapshots.length,
    from: date(snapshots[0].taken_at),
    to: date(snapshots[snapshots.length - 1].taken_at),
  });
  if (known.length === 0) return <span className="ind-muted">{t('trendNoValues')}</span>;
  if (known.length < 2) {
    return (
      <span className="ind-muted" title={label}>
        {snapshots.length === 1 ? t('trendOne') : label}
      </span>
    );
  }
  const g = sparklinePoints(values, { width: W, height: H, target });
  return (
    <svg className="ind-sparkline" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      <title>{label}</title>
      {g.targetY !== null && <line x1="0" x2={W} y1={g.targetY} y2={g.targetY} className="ind-sparkline__target" />}
      <polyline points={g.points} className="ind-sparkline__line" fill="none" />
      {g.last && <circle cx={g.last[0]} cy={g.last[1]} r="2.5" className="ind-sparkline__last" />}
    </svg>
  );
}
