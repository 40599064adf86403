/**
 * "指标 / Indicators": the ready dashboard (client/src/dashboard) full-width over the map
 * area, with a close button (Esc closes too, see ToolsHost) and the choropleth selector
 * that colours the map's districts. "Show on map" closes the view and frames the district
 * or the facilities.
 */
import { useEffect, useRef } from 'react';
import type { LngLat } from '../../../core/api';
import { api } from '../api';
import { useAtlas } from '../store';
import { useTools } from '../editor/tools';
import { useToolT } from '../editor/i18n';
import { useIndicators } from './ChoroplethLayer';
import '../editor/tools.css';

import { Dashboard } from '../dashboard/Dashboard';
import { ChoroplethLegend } from '../dashboard/Legend';

function flyTo(center: LngLat) {
  useAtlas.setState((s) => ({ flyRequest: { center, seq: (s.flyRequest?.seq ?? 0) + 1 } }));
}

async function showOnMap(target: number[] | string) {
  useTools.getState().close();
  if (typeof target === 'string') {
    const fc = await api.districts();
    const d = fc.features.find((f) => f.properties.code === target);
    if (d) flyTo(d.properties.label_point);
    return;
  }
  if (target.length === 0) return;
  const f = await api.facility(target[0]);
  useAtlas.getState().selectFacility(f, { fly: true });
}

export default function IndicatorsView({ onClose }: { onClose: () => void }) {
  const { t, lang } = useToolT();
  const choropleth = useTools((s) => s.choropleth);
  const data = useIndicators();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeRef.current?.focus();
  }, []);
  const def = data?.definitions.find((d) => d.id === choropleth);

  return (
    <section className="indicators-view" role="dialog" aria-labelledby="ind-view-heading" data-tool="indicators">
      <div className="indicators-view__bar">
        <h2 id="ind-view-heading">{t('indTitle')}</h2>
        <label className="tool-inline">
          <span>{t('indChoropleth')}</span>
          <select value={choropleth ?? ''} onChange={(e) => useTools.getState().setChoropleth(e.target.value || null)}>
            <option value="">{t('indNone')}</option>
            {data?.definitions.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name[lang]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button" onClick={onClose} ref={closeRef}>
          <span aria-hidden="true">✕ </span>
          {t('indClose')}
        </button>
      </div>
      <div className="indicators-view__body">
        {def && data && <ChoroplethLegend lang={lang} districts={data.districts} indicator={def.id} name={def.name[lang]} />}
        <Dashboard lang={lang} onShowOnMap={(target) => void showOnMap(target)} />
      </div>
    </section>
  );
}
