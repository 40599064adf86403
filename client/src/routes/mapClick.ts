/**
 * The route panel's hook into the atlas map's click handler (client/src/map/AtlasMap.tsx):
 * while the panel is open and picking, a click sets home and is consumed.
 */
import type { LngLat } from '../../../core/api';
import { useRoutes } from './store';

/** True when the click was the route panel's (home picked). */
export function routeMapClick(at: LngLat): boolean {
  const r = useRoutes.getState();
  if (!r.open || !r.picking) return false;
  r.setHome(at);
  return true;
}
