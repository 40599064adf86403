/**
 * The indicator choropleth on the atlas's district fill: a child of `<AtlasMap>` that,
 * while an indicator is chosen (tools store), sets the fill layer's `fill-color` to
 * `choroplethFillColor` and restores the plain fill when it is cleared or unmounted.
 */
import { useContext, useEffect, useState } from 'react';
import type { IndicatorId, IndicatorsResponse } from '../../../core/indicators';
import { AtlasMapContext } from '../map/AtlasMap';
import { LAYER_DISTRICT_FILL } from '../map/style';
import { choroplethFillColor } from '../dashboard/choropleth';
import { indicatorApi } from '../dashboard/api';
import { useTools } from '../editor/tools';

let cached: Promise<IndicatorsResponse> | null = null;
export function indicators(): Promise<IndicatorsResponse> {
  cached ??= indicatorApi.indicators().catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}

export default function ChoroplethLayer() {
  const map = useContext(AtlasMapContext);
  const indicator = useTools((s) => s.choropleth) as IndicatorId | null;
  const [data, setData] = useState<IndicatorsResponse | null>(null);

  useEffect(() => {
    if (indicator && !data) indicators().then(setData, () => undefined);
  }, [indicator, data]);

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

  return null;
}
