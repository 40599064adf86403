/**
 * Child population by the age groups the plan's services serve, estimated from the
 * 2020 census's age shares per district (7th national census, NBS *Tabulation on the
 * 2020 China Population Census by County*; see data/census/README.md).
 *
 * The census publishes shares for age 0 and the bins 1–4, 5–9 and 10–14. The service
 * groups cut across those bins, so single years are assumed to be spread evenly inside
 * each bin (a 1/4 or 1/5 of the bin per year). These are therefore **estimates**, good to
 * a few percent where cohorts are of similar size, not census counts.
 *
 * | group            | service                          | years        | formula (shares)                 |
 * |------------------|----------------------------------|--------------|----------------------------------|
 * | `children_0_2`   | 托育 nurseries                   | 0, 1, 2      | AGES_0 + 2/4 · AGES_1-4          |
 * | `children_3_5`   | 幼儿园 kindergartens             | 3, 4, 5      | 2/4 · AGES_1-4 + 1/5 · AGES_5-9  |
 * | `children_6_11`  | 小学 primary schools             | 6 … 11       | 4/5 · AGES_5-9 + 2/5 · AGES_10-14|
 * | `children_12_14` | 初中 lower secondary             | 12, 13, 14   | 3/5 · AGES_10-14                 |
 * | `children_0_14`  | all children                     | 0 … 14       | AGES_0-14 (the census's own)     |
 *
 * @example
 * childGroupsFromShares(100_000, { ages0: 0.01, ages1to4: 0.04, ages5to9: 0.05, ages10to14: 0.05, ages0to14: 0.15 });
 * // { children_0_2: 3000, children_3_5: 3000, children_6_11: 6000, children_12_14: 3000, children_0_14: 15000 }
 */

/** Age shares of the total population (0–1), as published by the census. */
export interface AgeShares {
  /** AGES_0: share aged under 1. */
  ages0: number;
  /** AGES_1-4. */
  ages1to4: number;
  /** AGES_5-9. */
  ages5to9: number;
  /** AGES_10-14. */
  ages10to14: number;
  /** AGES_0-14: the census's own total, which can differ from the bins' sum by rounding. */
  ages0to14: number;
}

/** Persons per age group, rounded to whole persons. Keys match the `districts` columns. */
export interface ChildGroups {
  children_0_2: number;
  children_3_5: number;
  children_6_11: number;
  children_12_14: number;
  children_0_14: number;
}

/**
 * Estimated children per service age group for a population and its census age shares.
 * Each group is rounded separately, so the groups may differ from `children_0_14` by a
 * few persons (and by the census's own rounding of the shares to four decimals).
 *
 * @param population resident population (persons)
 * @param shares census age shares (0–1)
 */
export function childGroupsFromShares(population: number, shares: AgeShares): ChildGroups {
  const { ages0, ages1to4, ages5to9, ages10to14, ages0to14 } = shares;
  return {
    children_0_2: Math.round(population * (ages0 + 0.5 * ages1to4)),
    children_3_5: Math.round(population * (0.5 * ages1to4 + 0.2 * ages5to9)),
    children_6_11: Math.round(population * (0.8 * ages5to9 + 0.4 * ages10to14)),
    children_12_14: Math.round(population * 0.6 * ages10to14),
    children_0_14: Math.round(population * ages0to14),
  };
}
