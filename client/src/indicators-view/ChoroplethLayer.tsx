/**
 * The indicator choropleth on the atlas's district fill: a child of `<AtlasMap>` that,
 * while an indicator is chosen (tools store), sets the fill layer's `fill-color` to
 * `choroplethFillColor` and restores the plain fill when it is cleared or unmounted. While
 * the indicators view is closed, the legend stays on the map (bottom left), with a button
 * that removes the colouring — a coloured map is never left without its key.
 *
 * The indicators are fetched once and shared with the indicators view ({@link useIndicators});
 * while walking coverage still computes, they are asked for again every few seconds.
 */
import { useContext, useEffect, useState } from 'react';
import type { IndicatorId, IndicatorsResponse } from '../../../core/indicators';
import { AtlasMapContext } from '../map/AtlasMap';
import { LAYER_DISTRICT_FILL } from '../map/style';
import { choroplethFillColor } from '../dashboard/choropleth';
import { indicatorApi } from '../dashboard/api';
import { COVERAGE_POLL_MS, coveragePending } from '../dashboard/format';
import { ChoroplethLegend } from '../dashboard/Legend';
import { useTools } from '../editor/tools';
import { useToolT } from '../editor/i18n';

let cached: Promise<IndicatorsResponse> | null = null;
function indicators(): Promise<IndicatorsResponse> {
  cached ??= indicatorApi.indicators().catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}

/** The indicators (null until loaded), while `active`; reloaded while walking coverage computes. */
export function useIndicators(active = true): IndicatorsResponse | null {
  const [data, setData] = useState<IndicatorsResponse | null>(null);
  const pending = data !== null && coveragePending([...data.districts, ...(data.city ? [data.city] : [])]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: data is the trigger: each answer still pending schedules the next ask
  useEffect(() => {
    if (!active) return;
    let live = true;
    const timer = pending
      ? setTimeout(() => {
          cached = null;
          indicators().then(
            (d) => live && setData(d),
            () => undefined,
          );
        }, COVERAGE_POLL_MS)
      : undefined;
    if (!pending)
      indicators().then(
        (d) => live && setData(d),
        () => undefined,
      );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [active, pending, data]);
  return data;
}

export default function ChoroplethLayer() {
  const map = useContext(AtlasMapContext);
  const indicator = useTools((s) => s.choropleth) as IndicatorId | null;
  const viewOpen = useTools((s) => s.tool?.kind === 'indicators');
  const data = useIndicators(indicator !== null);
  const { t, lang } = useToolT();

  useEffect(() => {
    if (!map || !indicator || !data || !map.getLayer(LAYER_DISTRICT_FILL)) return;
    const plainColour = map.getPaintProperty(LAYER_DISTRICT_FILL, 'fill-color');
    const plainOpacity = map.getPaintProperty(LAYER_DISTRICT_FILL, 'fill-opacity');
    map.setPaintProperty(LAYER_DISTRICT_FILL, 'fill-color', choroplethFillColor(data.districts, indicator));
    map.setPaintProperty(LAYER_DISTRICT_FILL, 'fill-opacity', 0.6);
    return () => {
      if (!map.getStyle() || !map.getLayer(LAYER_DISTRICT_FILL)) return;
      map.setPaintProperty(LAYER_DISTRICT_FILL, 'fill-color', plainColour);
      map.setPaintProperty(LAYER_DISTRICT_FILL, 'fill-opacity', plainOpacity);
    };
  }, [map, indicator, data]);

  const def = indicator && data?.definitions.find((d) => d.id === indicator);
  if (!map || !def || !data || viewOpen) return null;
  return (
    <ChoroplethLegend lang={lang} districts={data.districts} indicator={def.id} name={def.name[lang]} className="ind-legend--map">
      <button
        type="button"
        className="ind-legend__clear"
        onClick={() => useTools.getState().setChoropleth(null)}
        aria-label={t('indClearChoropleth')}
        title={t('indClearChoropleth')}
      >
        ✕
      </button>
    </ChoroplethLegend>
  );
}
