/**
 * "这里没有加载街道路网 / No street network is loaded here": shown wherever a feature
 * needs the walking network (routes to school, the planner's walking mode) and there is
 * none, before anyone picks anything — with the areas that have one (a button to go there)
 * and the command that imports a city.
 */
import { useAtlas } from '../store';
import { flyToArea, networkAreas, useDataExtents } from './store';
import { IMPORT_COMMAND, useExtentT } from './messages';
import './extents.css';

type Named = { name_zh: string; name_en: string };

/**
 * `districts`: the chosen ones without a network (planner; none chosen = the map view has none);
 * `withNetwork`: the districts that have one (planner).
 */
export function NoNetworkNotice({
  kind,
  districts = [],
  withNetwork,
}: {
  kind: 'routes' | 'planner';
  districts?: Named[];
  withNetwork?: Named[];
}) {
  const t = useExtentT();
  const lang = useAtlas((s) => s.lang);
  const extents = useDataExtents();
  const areas = networkAreas(extents);
  const name = (a: Named) => (lang === 'en' ? a.name_en : a.name_zh);
  const sep = lang === 'en' ? ', ' : '、';
  const listed: Named[] = withNetwork ?? areas;
  const areaList = listed.length ? listed.map(name).join(sep) : t('noAreas');
  return (
    <div className="no-network" role="note" id={`no-network-${kind}`}>
      <p className="no-network__title">
        <strong>{t('noNetworkTitle')}</strong>
      </p>
      <p>
        {kind === 'routes'
          ? t('noNetworkRoutes', { areas: areaList })
          : districts.length === 0
            ? t('noNetworkPlannerView', { areas: areaList })
            : t('noNetworkPlanner', { districts: districts.map(name).join(sep), areas: areaList })}
      </p>
      <p>
        {t('noNetworkImport')} <code>{IMPORT_COMMAND}</code>
      </p>
      {(kind === 'routes' || districts.length === 0) && areas.length > 0 && (
        <div className="button-row">
          {areas.slice(0, 3).map((a) => (
            <button key={a.id} type="button" className="button button--small" onClick={() => flyToArea(a)}>
              {t('noNetworkGo', { area: name(a) })}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** The mark beside a control that needs a walking network where there is none ("!", its words in the control's description). */
export function NoNetworkMark() {
  return (
    <b className="no-network-mark" aria-hidden="true">
      !
    </b>
  );
}
