/**
 * Client-only types of the planner. The coverage API's response shapes are declared once in
 * core/api/coverage.ts (built by the server with those types, read here with them).
 */
import type { CoverageMode } from '../../../core/api';

/** The mode the planner asks for: one pass, or both with the straight-line-vs-walking comparison. */
export type PlannerMode = CoverageMode;
