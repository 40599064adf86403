/**
 * "规划步行上学路线 / Plan a walking route here" in a primary or middle school's details:
 * opens the route panel for that school (and nothing for other categories).
 */
import type { FacilityFeature } from '../../../core/api';
import { routeText } from './messages';
import { openRoutes } from './store';
import { useAtlas } from '../store';

const SCHOOLS = new Set(['primary_school', 'middle_school']);

export function PlanRouteButton({ feature }: { feature: FacilityFeature }) {
  const lang = useAtlas((s) => s.lang);
  if (!SCHOOLS.has(feature.properties.category)) return null;
  const p = feature.properties;
  return (
    <button
      type="button"
      className="button"
      id="plan-route-here"
      onClick={() => {
        openRoutes({ id: feature.id, name_zh: p.name_zh, name_en: p.name_en, category: p.category, coordinates: feature.geometry.coordinates });
      }}
    >
      {routeText(lang, 'planHere')}
    </button>
  );
}
