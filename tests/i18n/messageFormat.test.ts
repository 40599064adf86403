import { describe, expect, it } from 'vitest';
import { formatMessage } from '../../client/src/messageFormat';
import { translate } from '../../client/src/i18n';
import { plannerText } from '../../client/src/planner/messages';
import { tr } from '../../client/src/editor/i18n';
import { translator } from '../../client/src/dashboard/i18n';
import { routeText } from '../../client/src/routes/messages';

describe('formatMessage', () => {
  it('fills placeholders and leaves unknown ones as written', () => {
    expect(formatMessage('en', 'Hi {name}, {x}', { name: 'Li' })).toBe('Hi Li, {x}');
    expect(formatMessage('en', 'no braces')).toBe('no braces');
  });
  it('chooses English plural forms by Intl.PluralRules', () => {
    const m = '{n, plural, one {# district} other {# districts}} chosen';
    expect(formatMessage('en', m, { n: 0 })).toBe('0 districts chosen');
    expect(formatMessage('en', m, { n: 1 })).toBe('1 district chosen');
    expect(formatMessage('en', m, { n: 2 })).toBe('2 districts chosen');
    expect(formatMessage('en', m, { n: 1234 })).toBe('1,234 districts chosen');
    expect(formatMessage('en', m, { n: '1,234' })).toBe('1,234 districts chosen');
  });
  it('Chinese has one form; exact =N branches win over categories', () => {
    const m = '{n, plural, =0 {none} one {one #} other {# 个}}';
    expect(formatMessage('zh', m, { n: 1 })).toBe('1 个');
    expect(formatMessage('zh', m, { n: 0 })).toBe('none');
    expect(formatMessage('en', m, { n: 1 })).toBe('one 1');
  });
  it('nests placeholders inside branches', () => {
    expect(formatMessage('en', '{n, plural, one {# route to {school}} other {# routes to {school}}}', { n: 1, school: 'A' })).toBe(
      '1 route to A',
    );
  });
});

describe('the dictionaries: "1 district", "2 districts"', () => {
  it('planner', () => {
    expect(plannerText('en', 'districtsChosen', { n: 1 })).toBe('1 district chosen');
    expect(plannerText('en', 'districtsChosen', { n: 2 })).toBe('2 districts chosen');
    expect(plannerText('zh', 'districtsChosen', { n: 1 })).toBe('已选 1 个区县');
    expect(plannerText('en', 'edits', { n: 1 })).toBe('1 change');
    expect(plannerText('en', 'edits', { n: 3 })).toBe('3 changes');
    expect(plannerText('zh', 'edits', { n: 1 })).toBe('已做 1 项改动');
  });
  it('editor, atlas, dashboard, routes', () => {
    expect(tr('en', 'fbSupporters', { n: 1 })).toBe('1 person asked');
    expect(tr('en', 'fbSupporters', { n: 5 })).toBe('5 people asked');
    expect(tr('zh', 'fbSupporters', { n: 1 })).toBe('1 人提出');
    expect(translate('en', 'searchResults', { n: 1 })).toBe('1 result');
    expect(translate('en', 'searchResults', { n: 7 })).toBe('7 results');
    expect(translate('zh', 'searchResults', { n: 1 })).toBe('找到 1 个结果');
    expect(translate('en', 'listCount', { n: 1 })).toBe('1 facility in the current view');
    expect(translator('en')('trendLabel', { points: 'x', n: 1, from: 'a', to: 'b' })).toBe('Trend: x (1 snapshot, a to b)');
    expect(routeText('en', 'stepsValue', { flights: 1, count: 12 })).toBe('1 flight, about 12 steps');
  });
});
