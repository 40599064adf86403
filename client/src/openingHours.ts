/**
 * OSM `opening_hours` in the UI's words: "周一至周五 07:30–17:30；周六、周日 休息" or
 * "Mon–Fri 07:30–17:30; Sat, Sun closed", and whether the place is open now (China time).
 * Parsing is core/openingHours.ts; every word comes from the dictionary (i18n.ts).
 */
import { chinaWeekMinute, formatMinute, isOpenAt, type OpeningHours, parseOpeningHours, type TimeSpan } from '../../core/openingHours';
import { type Lang, translate } from './i18n';

export interface ShownHours {
  /** The week in words, or the raw value when it could not be read. */
  text: string;
  /** Open at the moment asked; null when the value could not be read. */
  openNow: boolean | null;
}

const sameSpans = (a: TimeSpan[], b: TimeSpan[]) => a.length === b.length && a.every((s, i) => s[0] === b[i]![0] && s[1] === b[i]![1]);

/** The week as groups of days with the same hours, e.g. Mo–Fr, then Sa and Su together. */
function describeWeek(oh: OpeningHours, lang: Lang): string {
  const t = (k: Parameters<typeof translate>[1], p?: Record<string, string>) => translate(lang, k, p);
  if (oh.always) return t('ohAlways');
  const names = t('ohDays').split(',');
  // Runs of consecutive days with equal hours, then runs with equal hours put together.
  const runs: { from: number; to: number; spans: TimeSpan[] }[] = [];
  oh.week.forEach((spans, d) => {
    const last = runs[runs.length - 1];
    if (last && sameSpans(last.spans, spans)) last.to = d;
    else runs.push({ from: d, to: d, spans });
  });
  const groups: { runs: typeof runs; spans: TimeSpan[] }[] = [];
  for (const r of runs) {
    const g = groups.find((x) => sameSpans(x.spans, r.spans));
    if (g) g.runs.push(r);
    else groups.push({ runs: [r], spans: r.spans });
  }
  return groups
    .map((g) => {
      const everyDay = g.runs.length === 1 && g.runs[0]!.from === 0 && g.runs[0]!.to === 6;
      const days = everyDay
        ? t('ohEveryDay')
        : g.runs
            .flatMap((r) =>
              r.to - r.from >= 2
                ? [t('ohDayRange', { from: names[r.from]!, to: names[r.to]! })]
                : [r.from, r.to].filter((d, i) => i === 0 || d !== r.from).map((d) => names[d]!),
            )
            .join(t('ohDaySep'));
      const times =
        g.spans.length === 0
          ? t('ohClosed')
          : g.spans.map(([s, e]) => t('ohTimeRange', { from: formatMinute(s), to: formatMinute(e) })).join(t('ohSpanSep'));
      return t('ohRule', { days, times });
    })
    .join(t('ohRuleSep'));
}

/** `value` for the details panel in `lang`, and whether it is open at `now`. */
export function showOpeningHours(value: string, lang: Lang, now: Date): ShownHours {
  let oh: OpeningHours;
  try {
    oh = parseOpeningHours(value);
  } catch {
    return { text: value, openNow: null };
  }
  return { text: describeWeek(oh, lang), openNow: isOpenAt(oh, chinaWeekMinute(now)) };
}
