import { describe, expect, it } from 'vitest';
import { CATEGORY_IDS } from '../catalogue';
import { COVERAGE_NORMS, DEFAULT_WALK_PARAMS, normFor, walkMinutesFor } from './norms';
import { AGE_GROUPS } from './types';

describe('coverage norms', () => {
  it.each(CATEGORY_IDS)('%s has a norm with a radius, a child group and a source', (id) => {
    const n = COVERAGE_NORMS[id];
    expect(n.category).toBe(id);
    expect(n.radiusM).toBeGreaterThan(0);
    expect(n.walkMinutes).toBeGreaterThan(0);
    expect(AGE_GROUPS).toContain(n.ageGroup);
    if (n.source === 'GB 50180-2018') expect(n.citation).toMatch(/GB 50180-2018 表4\.0\.1/);
    else expect(n.citation.length).toBeGreaterThan(60); // a default says why
  });

  it('GB 50180-2018 radii and child groups of the education and care categories', () => {
    expect([
      normFor('nursery').radiusM,
      normFor('kindergarten').radiusM,
      normFor('primary_school').radiusM,
      normFor('middle_school').radiusM,
    ]).toEqual([300, 300, 500, 1000]);
    expect([
      normFor('nursery').ageGroup,
      normFor('kindergarten').ageGroup,
      normFor('primary_school').ageGroup,
      normFor('middle_school').ageGroup,
    ]).toEqual(['children_0_2', 'children_3_5', 'children_6_11', 'children_12_14']);
    expect(normFor('mother_baby_room').ageGroup).toBe('children_0_2');
    expect(normFor('child_health').radiusM).toBe(1000);
    expect(normFor('playground')).toMatchObject({ radiusM: 300, lifeCircle: '5-minute' });
    expect(normFor('park').source).toBe('atlas default');
  });

  it('overrides make a new norm and leave the catalogue alone', () => {
    expect(normFor('primary_school', { radiusM: 800 }).radiusM).toBe(800);
    expect(COVERAGE_NORMS.primary_school.radiusM).toBe(500);
    expect(() => normFor('nope' as never)).toThrow();
  });

  it('walking parameters: 300 m is 5 minutes at the default speed', () => {
    expect(walkMinutesFor(300)).toBe(5);
    expect(DEFAULT_WALK_PARAMS.stepPenaltyFactor).toBe(2);
  });
});
