/**
 * The indicator dashboard module, loaded lazily by the host app:
 *
 * ```tsx
 * const Dashboard = lazy(() => import('./dashboard'));
 * ```
 *
 * and, for the map, the choropleth of an indicator with its legend. Import those from
 * their own files, so the map's chunk does not pull in the whole dashboard:
 *
 * ```ts
 * import { choroplethFillColor } from './dashboard/choropleth';
 * import { ChoroplethLegend } from './dashboard/Legend';
 * ```
 */
export { Dashboard as default, Dashboard, type DashboardProps } from './Dashboard';
export {
  choroplethFillColor,
  choroplethClasses,
  legendItems,
  classify,
  CHOROPLETH_COLOURS,
  type ChoroplethClass,
  type LegendItem,
} from './choropleth';
export { ChoroplethLegend } from './Legend';
