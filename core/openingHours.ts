/**
 * A small reader of OpenStreetMap `opening_hours` values
 * (https://wiki.openstreetmap.org/wiki/Key:opening_hours/specification), enough for what the
 * atlas stores: `24/7`; rules separated by `;`, each an optional weekday selector
 * (`Mo-Fr`, `Sa,Su`, `Tu-Su`, wrapping ranges such as `Fr-Mo`) followed by time spans
 * (`07:30-17:30`, `09:00-12:00,14:00-17:30`, `22:00-02:00` past midnight) or `off` /
 * `closed`. A rule without weekdays applies every day; a later rule replaces earlier ones
 * on the days it names (the specification's "normal rule" semantics).
 *
 * Anything else (public holidays `PH`, months, week numbers, sunrise, comments, `+`) is
 * refused with an {@link OpeningHoursError} naming the part it could not read, so the
 * caller shows the raw value rather than a wrong "open now". The npm `opening_hours`
 * package reads the whole syntax but carries no Chinese wording and ~100 kB of parser and
 * holiday tables; the atlas needs this subset, with both languages from its own dictionary.
 *
 * Weekdays are numbered 0 = Monday … 6 = Sunday; times are minutes after midnight.
 *
 * @example
 * const oh = parseOpeningHours('Mo-Fr 07:30-17:30; Sa 09:00-12:00');
 * isOpenAt(oh, { weekday: 0, minute: 8 * 60 }); // true
 * isOpenAt(oh, { weekday: 6, minute: 10 * 60 }); // false (Sunday)
 */

export const WEEKDAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;

/** `[start, end)` in minutes after midnight; `end` may exceed 1440 (past midnight). */
export type TimeSpan = readonly [number, number];

export interface OpeningRule {
  /** Weekdays (0 = Monday) the rule names, ascending. */
  days: number[];
  /** Time spans; empty = closed (`off`). */
  spans: TimeSpan[];
}

export interface OpeningHours {
  /** `24/7`: always open. */
  always: boolean;
  /** The rules in order, as written. */
  rules: OpeningRule[];
  /** What applies on each weekday after later rules replaced earlier ones (index 0 = Monday). */
  week: TimeSpan[][];
}

export class OpeningHoursError extends Error {
  constructor(
    readonly value: string,
    readonly part: string,
  ) {
    super(`opening_hours: cannot read "${part}" in "${value}"`);
    this.name = 'OpeningHoursError';
  }
}

const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];

function parseTime(s: string, value: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m) throw new OpeningHoursError(value, s);
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min > 0)) throw new OpeningHoursError(value, s);
  return h * 60 + min;
}

function parseDays(s: string, value: string): number[] {
  const days = new Set<number>();
  for (const item of s.split(',')) {
    const [a, b, extra] = item.split('-');
    const from = WEEKDAYS.indexOf(a as (typeof WEEKDAYS)[number]);
    const to = b === undefined ? from : WEEKDAYS.indexOf(b as (typeof WEEKDAYS)[number]);
    if (from < 0 || to < 0 || extra !== undefined) throw new OpeningHoursError(value, item);
    // Fr-Mo wraps over the weekend.
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === to) break;
    }
  }
  return [...days].sort((x, y) => x - y);
}

function parseSpans(s: string, value: string): TimeSpan[] {
  return s.split(',').map((item) => {
    const [a, b, extra] = item.split('-');
    if (b === undefined || extra !== undefined) throw new OpeningHoursError(value, item);
    const start = parseTime(a!, value);
    let end = parseTime(b, value);
    if (end <= start) end += 24 * 60; // 22:00-02:00 ends the next morning
    return [start, end] as const;
  });
}

/** Reads `value`; throws {@link OpeningHoursError} on syntax outside the subset above. */
export function parseOpeningHours(value: string): OpeningHours {
  const text = value.trim();
  if (text === '24/7') return { always: true, rules: [], week: ALL_DAYS.map(() => [[0, 24 * 60]]) };
  if (text === '') throw new OpeningHoursError(value, value);
  const rules: OpeningRule[] = [];
  for (const raw of text.split(';')) {
    const rule = raw
      .trim()
      .replace(/\s*-\s*/g, '-')
      .replace(/\s*,\s*/g, ',');
    if (rule === '') continue;
    const words = rule.split(/\s+/);
    let days = ALL_DAYS;
    if (/^[A-Z][a-z]/.test(words[0]!) && words[0] !== 'off' && words[0] !== 'closed') days = parseDays(words.shift()!, value);
    if (words.length !== 1) throw new OpeningHoursError(value, raw.trim());
    const spans = words[0] === 'off' || words[0] === 'closed' ? [] : parseSpans(words[0]!, value);
    rules.push({ days, spans });
  }
  const week: TimeSpan[][] = ALL_DAYS.map(() => []);
  for (const r of rules) for (const d of r.days) week[d] = r.spans;
  return { always: false, rules, week };
}

/** A moment as a weekday (0 = Monday) and a minute of that day. */
export interface WeekMinute {
  weekday: number;
  minute: number;
}

/**
 * The wall clock in China (UTC+8 all year: no daylight saving since 1991), where every
 * facility of the atlas is, whatever the time zone of the device reading it.
 */
export function chinaWeekMinute(at: Date): WeekMinute {
  const local = new Date(at.getTime() + 8 * 3600_000);
  return { weekday: (local.getUTCDay() + 6) % 7, minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

/** Whether the place is open at `at`, including spans of the day before that run past midnight. */
export function isOpenAt(oh: OpeningHours, at: WeekMinute): boolean {
  if (oh.always) return true;
  if (oh.week[at.weekday]!.some(([s, e]) => at.minute >= s && at.minute < e)) return true;
  const before = oh.week[(at.weekday + 6) % 7]!;
  return before.some(([, e]) => e > 24 * 60 && at.minute < e - 24 * 60);
}

/** `HH:MM` of a minute of the day (24:00 for the end of the day; past midnight wraps). */
export function formatMinute(minute: number): string {
  const m = minute === 24 * 60 ? minute : minute % (24 * 60);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
