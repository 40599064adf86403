/**
 * The coverage API's rounded JSON pieces, shared by the server (server/features/coverage/respond.ts)
 * and the planner's what-if worker (client/src/planner/engine.ts) so both report the same numbers.
 * People are rounded to 0.1, shares and km² to 1e-4; `null` means "not available" (no population
 * data, no children data), never 0.
 *
 * @example
 * coverageRowJson(summary.total, undefined, true, true).uncoveredChildren;
 */
import type { DistrictCoverage } from './coverage';
import type { CoverageRow, GapProperties as GapPropertiesJson } from '../api/coverage';
import type { GapProperties } from './gaps';
import { r1, r4 } from '../round';

/** A district as the API names it; `undefined` stands for the total. */
export interface WireDistrict {
  code: string | null;
  name_zh: string;
  name_en: string;
}

/** One row of a coverage summary (a district, or the total when `d` is undefined). */
export function coverageRowJson(
  r: DistrictCoverage,
  d: WireDistrict | undefined,
  populationAvailable: boolean,
  childrenAvailable: boolean,
): CoverageRow {
  const pop = populationAvailable,
    kids = childrenAvailable;
  return {
    code: d ? d.code : null,
    name_zh: d ? d.name_zh : '合计',
    name_en: d ? d.name_en : 'Total',
    cellCount: r.cellCount,
    areaKm2: r4(r.areaKm2),
    coveredAreaKm2: r4(r.coveredAreaKm2),
    shareCoveredArea: r.areaKm2 > 0 ? r4(r.coveredAreaKm2 / r.areaKm2) : null,
    population: pop ? r1(r.population) : null,
    coveredPopulation: pop ? r1(r.coveredPopulation) : null,
    uncoveredPopulation: pop ? r1(r.uncoveredPopulation) : null,
    shareCoveredPopulation: pop && r.shareCoveredPopulation !== null ? r4(r.shareCoveredPopulation) : null,
    children: kids ? r1(r.children) : null,
    coveredChildren: kids ? r1(r.coveredChildren) : null,
    uncoveredChildren: kids ? r1(r.uncoveredChildren) : null,
    shareCoveredChildren: kids && r.shareCoveredChildren !== null ? r4(r.shareCoveredChildren) : null,
    noAccessPopulation: pop ? r1(r.noAccessPopulation) : null,
    noAccessChildren: kids ? r1(r.noAccessChildren) : null,
  };
}

/** The properties of one gap polygon of `coverageGaps`, for the given mode, with its district named. */
export function gapPropertiesJson<M extends GapPropertiesJson['mode']>(
  p: GapProperties,
  mode: M,
  d: WireDistrict | undefined,
  populationAvailable: boolean,
  childrenAvailable: boolean,
): GapPropertiesJson & { mode: M } {
  return {
    mode,
    districtCode: d?.code ?? null,
    name_zh: d?.name_zh ?? null,
    name_en: d?.name_en ?? null,
    squareCount: p.squareCount,
    areaKm2: r4(p.areaKm2),
    uncoveredPopulation: populationAvailable ? r1(p.uncoveredPopulation) : null,
    uncoveredChildren: childrenAvailable ? r1(p.uncoveredChildren) : null,
    noAccessPopulation: populationAvailable ? r1(p.noAccessPopulation) : null,
    ageGroup: p.ageGroup,
  };
}
