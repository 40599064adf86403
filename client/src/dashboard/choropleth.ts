/**
 * A choropleth of one indicator: each district's result → a class → a colour, as a
 * MapLibre `fill-color` `match` expression keyed by district code, plus the legend items
 * (the map owner adds the layer; this module only makes data).
 *
 * Classes, for indicators with a target: met; not met by how far (≥ 75 % of target,
 * 50–75 %, < 50 %); still computing (walking coverage); no data; not applicable. For percentages without a target (walking
 * coverage): four bands of the share. Colours are a colour-blind-safe blue/orange
 * diverging scheme (ColorBrewer PuOr/RdBu family) and the legend always carries text, so
 * colour is never the only signal; the dashboard table states every value in words.
 *
 * @example
 * map.addLayer({ id: 'indicator-fill', type: 'fill', source: 'atlas-districts',
 *   paint: { 'fill-color': choroplethFillColor(response.districts, 'nursery_places_per_1000'), 'fill-opacity': 0.7 } });
 */
import type { ExpressionSpecification } from 'maplibre-gl';
import type { DistrictIndicatorsView, IndicatorId, IndicatorResultView } from '../../../core/indicators';
import type { MessageKey } from './i18n';
import { isComputing } from './format';

export type ChoroplethClass =
  | 'met'
  | 'near'
  | 'mid'
  | 'far'
  | 'share_0'
  | 'share_25'
  | 'share_50'
  | 'share_75'
  | 'computing'
  | 'no_data'
  | 'not_applicable';

export const CHOROPLETH_COLOURS: Record<ChoroplethClass, string> = {
  met: '#2166ac',
  near: '#fdb863',
  mid: '#e66101',
  far: '#b2182b',
  share_0: '#eff3ff',
  share_25: '#bdd7e7',
  share_50: '#6baed6',
  share_75: '#2171b5',
  computing: '#d9d9d9',
  no_data: '#d9d9d9',
  not_applicable: '#f7f7f7',
};

/** Legend order and the label of each class. */
const LEGEND: { cls: ChoroplethClass; label: MessageKey; vars?: Record<string, number> }[] = [
  { cls: 'met', label: 'legendMet' },
  { cls: 'near', label: 'legendNear' },
  { cls: 'mid', label: 'legendMid' },
  { cls: 'far', label: 'legendFar' },
  { cls: 'share_75', label: 'legendShare', vars: { from: 75, to: 100 } },
  { cls: 'share_50', label: 'legendShare', vars: { from: 50, to: 75 } },
  { cls: 'share_25', label: 'legendShare', vars: { from: 25, to: 50 } },
  { cls: 'share_0', label: 'legendShare', vars: { from: 0, to: 25 } },
  { cls: 'computing', label: 'legendComputing' },
  { cls: 'no_data', label: 'legendNoData' },
  { cls: 'not_applicable', label: 'legendNotApplicable' },
];

/** The class of one result. */
export function classify(r: IndicatorResultView | undefined): ChoroplethClass {
  if (isComputing(r)) return 'computing';
  if (!r || r.status === 'no_data') return 'no_data';
  if (r.status === 'met') return 'met';
  if (r.status === 'not_met') {
    const ratio = r.value !== null && r.target ? r.value / r.target : 0;
    return ratio >= 0.75 ? 'near' : ratio >= 0.5 ? 'mid' : 'far';
  }
  // not applicable: a share without a target gets a band; anything else stays neutral
  if (r.value !== null && r.target === null && r.unit.en.startsWith('%')) {
    return r.value >= 75 ? 'share_75' : r.value >= 50 ? 'share_50' : r.value >= 25 ? 'share_25' : 'share_0';
  }
  return 'not_applicable';
}

/** District code → class for one indicator. */
export function choroplethClasses(districts: readonly DistrictIndicatorsView[], id: IndicatorId): Map<string, ChoroplethClass> {
  return new Map(districts.map((d) => [d.code, classify(d.indicators.find((r) => r.id === id))]));
}

/**
 * The `fill-color` expression: `['match', ['get', property], [codes…], colour, …, fallback]`,
 * codes grouped by colour. Districts missing from the results get the no-data colour.
 * With no district at all it is the plain fallback colour (a `match` needs one branch).
 */
export function choroplethFillColor(
  districts: readonly DistrictIndicatorsView[],
  id: IndicatorId,
  opts: { property?: string } = {},
): ExpressionSpecification | string {
  const groups = new Map<ChoroplethClass, string[]>();
  for (const [code, cls] of choroplethClasses(districts, id)) {
    const list = groups.get(cls) ?? [];
    list.push(code);
    groups.set(cls, list);
  }
  if (!groups.size) return CHOROPLETH_COLOURS.no_data;
  const branches: (string | string[])[] = [];
  for (const { cls } of LEGEND) {
    const codes = groups.get(cls);
    if (codes) branches.push([...codes].sort(), CHOROPLETH_COLOURS[cls]);
  }
  return [
    'match',
    ['to-string', ['get', opts.property ?? 'code']],
    ...branches,
    CHOROPLETH_COLOURS.no_data,
  ] as unknown as ExpressionSpecification;
}

export interface LegendItem {
  cls: ChoroplethClass;
  colour: string;
  label: MessageKey;
  vars?: Record<string, number>;
  /** How many districts are in the class. */
  count: number;
}

/** The legend for these results: only the classes that occur, in a fixed order. */
export function legendItems(districts: readonly DistrictIndicatorsView[], id: IndicatorId): LegendItem[] {
  const counts = new Map<ChoroplethClass, number>();
  for (const cls of choroplethClasses(districts, id).values()) counts.set(cls, (counts.get(cls) ?? 0) + 1);
  return LEGEND.filter((l) => counts.has(l.cls)).map((l) => ({ ...l, colour: CHOROPLETH_COLOURS[l.cls], count: counts.get(l.cls)! }));
}
