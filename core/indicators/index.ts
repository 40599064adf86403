/**
 * Plan-target indicators (issue #5; implementation plan §三十六 监测评估): pure definitions
 * and formulas. Aggregates in, results out; no I/O. See docs/indicators.md.
 *
 * @example
 * import { aggregateIndicatorInputs, computeIndicators } from './core/indicators';
 * const { districts, context } = aggregateIndicatorInputs(inputs);
 * const { city } = computeIndicators(districts, context);
 */
export * from './types';
export * from './ratio';
export type { IndicatorDefinition } from './build';
export * from './aggregate';
export * from './definitions';
export * from './compute';
export { NURSERY_PLACES_TARGET } from './care';
export { KINDERGARTEN_PLACES_TARGET, INCLUSIVE_SHARE_TARGET, PUBLIC_SHARE_TARGET } from './preschool';
export { SPECIAL_SCHOOL_POPULATION_THRESHOLD } from './special';
export { PAEDIATRICIANS_TARGET } from './health';
export { LARGE_VENUE_FLOOR_AREA_M2, LARGE_VENUE_DAILY_VISITORS, CHILD_FRIENDLY_COMMUNITIES_TARGET } from './spaces';
export { COVERAGE_PLUG_POINTS, coverageInputFromSummary } from './coverage';
