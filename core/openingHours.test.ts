import { describe, expect, it } from 'vitest';
import { chinaWeekMinute, formatMinute, isOpenAt, OpeningHoursError, parseOpeningHours } from './openingHours';

const at = (weekday: number, hhmm: string) => ({ weekday, minute: Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)) });

describe('parseOpeningHours', () => {
  it('reads 24/7 as always open', () => {
    const oh = parseOpeningHours('24/7');
    expect(oh.always).toBe(true);
    expect(isOpenAt(oh, at(6, '03:00'))).toBe(true);
  });

  it('reads a weekday range with one span (a kindergarten)', () => {
    const oh = parseOpeningHours('Mo-Fr 07:30-17:30');
    expect(oh.rules).toEqual([{ days: [0, 1, 2, 3, 4], spans: [[450, 1050]] }]);
    expect(isOpenAt(oh, at(0, '07:30'))).toBe(true);
    expect(isOpenAt(oh, at(4, '17:29'))).toBe(true);
    expect(isOpenAt(oh, at(4, '17:30'))).toBe(false); // the end is exclusive
    expect(isOpenAt(oh, at(5, '10:00'))).toBe(false); // Saturday
  });

  it('reads times alone as every day', () => {
    const oh = parseOpeningHours('06:00-22:00');
    expect(oh.rules[0]!.days).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(isOpenAt(oh, at(6, '21:59'))).toBe(true);
    expect(isOpenAt(oh, at(6, '05:59'))).toBe(false);
  });

  it('reads several rules, day lists, split spans and off; a later rule replaces an earlier one', () => {
    const oh = parseOpeningHours('Mo-Su 09:00-12:00, 14:00-17:30; Sa,Su 10:00-16:00; We off');
    expect(oh.week[0]).toEqual([
      [540, 720],
      [840, 1050],
    ]);
    expect(oh.week[2]).toEqual([]);
    expect(oh.week[6]).toEqual([[600, 960]]);
    expect(isOpenAt(oh, at(0, '13:00'))).toBe(false); // lunch break
    expect(isOpenAt(oh, at(2, '10:00'))).toBe(false); // Wednesday off
    expect(isOpenAt(oh, at(5, '09:30'))).toBe(false); // Saturday opens at 10
  });

  it('reads wrapping weekday ranges and spans past midnight', () => {
    const oh = parseOpeningHours('Fr-Mo 22:00-02:00');
    expect(oh.rules[0]!.days).toEqual([0, 4, 5, 6]);
    expect(isOpenAt(oh, at(5, '01:00'))).toBe(true); // Friday night, into Saturday
    expect(isOpenAt(oh, at(1, '01:00'))).toBe(true); // Monday night, into Tuesday
    expect(isOpenAt(oh, at(2, '01:00'))).toBe(false); // Tuesday night: closed
  });

  it('refuses what it does not read, naming the part', () => {
    expect(() => parseOpeningHours('Mo-Fr 08:00-17:00; PH off')).toThrow(OpeningHoursError);
    expect(() => parseOpeningHours('Mo-Fr 08:00-17:00; PH off')).toThrow(/"PH off"/);
    expect(() => parseOpeningHours('Xy 08:00-17:00')).toThrow(/"Xy"/);
    expect(() => parseOpeningHours('Mo 25:00-26:00')).toThrow(/"25:00"/);
    expect(() => parseOpeningHours('sunrise-sunset')).toThrow(OpeningHoursError);
    expect(() => parseOpeningHours('')).toThrow(OpeningHoursError);
  });
});

describe('chinaWeekMinute', () => {
  it('reads the wall clock in China (UTC+8), whatever the device time zone', () => {
    // 2026-12-06 is a Sunday; 17:30 UTC on the Saturday is 01:30 on Sunday in Chongqing.
    expect(chinaWeekMinute(new Date('2026-12-05T17:30:00Z'))).toEqual({ weekday: 6, minute: 90 });
    expect(chinaWeekMinute(new Date('2026-12-07T00:00:00Z'))).toEqual({ weekday: 0, minute: 480 });
  });
});

describe('formatMinute', () => {
  it('writes HH:MM, 24:00 at the end of the day, and wraps past midnight', () => {
    expect(formatMinute(450)).toBe('07:30');
    expect(formatMinute(1440)).toBe('24:00');
    expect(formatMinute(1440 + 120)).toBe('02:00');
  });
});
