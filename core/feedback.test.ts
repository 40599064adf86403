import { describe, expect, it } from 'vitest';
import {
  ACTION_FROM,
  ACTION_TO,
  AGE_GROUPS,
  AGE_GROUP_IDS,
  FEEDBACK_CATEGORIES,
  FEEDBACK_CATEGORY_IDS,
  FEEDBACK_STATUSES,
  FEEDBACK_STATUS_IDS,
  MODERATION_ACTIONS,
  PUBLIC_FEEDBACK_STATUSES,
  charCount,
  feedbackCategoryById,
  isFeedbackCategoryId,
} from './feedback';

describe('feedback catalogue', () => {
  it('labels every category, age group and status in Chinese and English, once each', () => {
    expect(FEEDBACK_CATEGORIES.map((c) => c.id)).toEqual([...FEEDBACK_CATEGORY_IDS]);
    expect(AGE_GROUPS.map((a) => a.id)).toEqual([...AGE_GROUP_IDS]);
    expect(FEEDBACK_STATUSES.map((s) => s.id)).toEqual([...FEEDBACK_STATUS_IDS]);
    for (const x of [...FEEDBACK_CATEGORIES, ...AGE_GROUPS, ...FEEDBACK_STATUSES]) {
      expect(x.name.zh).toMatch(/\p{Script=Han}|\d/u);
      expect(x.name.en.length).toBeGreaterThan(2);
    }
    for (const c of FEEDBACK_CATEGORIES) {
      expect(c.hint.zh.length).toBeGreaterThan(2);
      expect(c.planClause).toMatch(/实施方案 §/);
    }
    expect(feedbackCategoryById('unsafe_crossing').name.en).toBe('Unsafe crossing');
    expect(isFeedbackCategoryId('want_playground')).toBe(true);
    expect(isFeedbackCategoryId('want_zoo')).toBe(false);
  });

  it('has a moderation machine whose every move starts and ends at a known state', () => {
    for (const a of MODERATION_ACTIONS) {
      expect(ACTION_FROM[a].length).toBeGreaterThan(0);
      for (const s of ACTION_FROM[a]) expect(FEEDBACK_STATUS_IDS).toContain(s);
      expect(FEEDBACK_STATUS_IDS).toContain(ACTION_TO[a]);
      expect(ACTION_FROM[a]).not.toContain(ACTION_TO[a]); // every move changes the state
    }
    // the public sees only states reached by approval
    expect(PUBLIC_FEEDBACK_STATUSES).toEqual(['approved', 'resolved']);
    // nothing leaves "duplicate": a merged pin stays merged
    for (const a of MODERATION_ACTIONS) expect(ACTION_FROM[a]).not.toContain('duplicate');
  });

  it('counts characters as PostgreSQL does', () => {
    expect(charCount('')).toBe(0);
    expect(charCount('儿童友好')).toBe(4);
    expect(charCount('🛝🙂')).toBe(2); // 4 UTF-16 units
    expect('🛝🙂'.length).toBe(4);
  });
});
