/**
 * The registry: every indicator of the monitoring dashboard, in display order, with its
 * clause, formula and the data it needs. Adding an indicator = one definition here and
 * its id in `INDICATOR_IDS`.
 */
import type { IndicatorDefinition } from './build';
import { guidanceCentre, nurseryPlaces } from './care';
import { inclusiveShare, kindergartenPlaces, publicShare } from './preschool';
import { specialSchool } from './special';
import { mchInstitution, paediatricians } from './health';
import { childFriendlyCommunities, motherBabyRooms, protectionStations } from './spaces';
import { COVERAGE_INDICATORS } from './coverage';
import { INDICATOR_IDS, type IndicatorDefinitionView, type IndicatorId } from './types';

const ALL: IndicatorDefinition[] = [
  nurseryPlaces,
  guidanceCentre,
  kindergartenPlaces,
  inclusiveShare,
  publicShare,
  specialSchool,
  mchInstitution,
  paediatricians,
  motherBabyRooms,
  protectionStations,
  childFriendlyCommunities,
  ...COVERAGE_INDICATORS,
];

const BY_ID = new Map<IndicatorId, IndicatorDefinition>(ALL.map((d) => [d.id, d]));

/** Every definition, in the order of {@link INDICATOR_IDS}. */
export const INDICATORS: readonly IndicatorDefinition[] = INDICATOR_IDS.map((id) => {
  const d = BY_ID.get(id);
  if (!d) throw new Error(`indicator ${id} has no definition`);
  return d;
});

export function isIndicatorId(id: string): id is IndicatorId {
  return BY_ID.has(id as IndicatorId);
}

/** The definition of `id`. @throws Error for an unknown id (ids are validated at the edge). */
export function indicatorById(id: IndicatorId): IndicatorDefinition {
  const d = BY_ID.get(id);
  if (!d) throw new Error(`unknown indicator: ${id}`);
  return d;
}

/** The definition without its functions, as the API lists it. */
export function definitionView(d: IndicatorDefinition): IndicatorDefinitionView {
  const { id, name, short, unit, cityUnit, target, cityTarget, clause, formula, dataNeeded } = d;
  return { id, name, short, unit, cityUnit, target, cityTarget, clause, formula, dataNeeded };
}
