/**
 * "规划步行上学路线 / Plan a walking route here" in a primary or middle school's details:
 * opens the route panel for that school (and nothing for other categories).
 */
import type { FacilityFeature } from '../../../core/api';
import { routeText } from './messages';
import { openRoutes } from './store';
import { useAtlas } from '../store';
import { boxAround, useNetworkIn } from '../extents/store';
import { extentText, IMPORT_COMMAND } from '../extents/messages';

const SCHOOLS = new Set(['primary_school', 'middle_school']);

export function PlanRouteButton({ feature }: { feature: FacilityFeature }) {
  const lang = useAtlas((s) => s.lang);
  const isSchool = SCHOOLS.has(feature.properties.category);
  // a walking network within 500 m of the school, or say there is none before anyone tries
  const network = useNetworkIn(isSchool ? boxAround(feature.geometry.coordinates, 500) : null);
  if (!isSchool) return null;
  const p = feature.properties;
  if (network === 'no') {
    return (
      <p className="muted" id="plan-route-here-none">
        {extentText(lang, 'noNetworkTitle')}
        {lang === 'en' ? ': ' : '：'}
        {extentText(lang, 'noNetworkImport')} <code>{IMPORT_COMMAND}</code>
      </p>
    );
  }
  return (
    <button
      type="button"
      className="button"
      id="plan-route-here"
      onClick={() => {
        openRoutes({
          id: feature.id,
          name_zh: p.name_zh,
          name_en: p.name_en,
          category: p.category,
          coordinates: feature.geometry.coordinates,
        });
      }}
    >
      {routeText(lang, 'planHere')}
    </button>
  );
}
