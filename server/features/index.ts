import type { Router } from 'express';
import type { AppContext } from '../context';
import { healthRoutes } from './health/routes';
import { categoryRoutes } from './categories/routes';
import { districtRoutes } from './districts/routes';
import { facilityRoutes } from './facilities/routes';
import { nearbyRoutes } from './nearby/routes';
import { tileRoutes } from './tiles/routes';
import { basemapRoutes } from './basemap/routes';
import { authRoutes } from './auth/routes';
import { userRoutes } from './users/routes';
import { feedbackRoutes } from './feedback/routes';
import { editingRoutes } from './editing/routes';
import { indicatorRoutes } from './indicators/routes';
import { coverageSourceFor } from './indicators/coverageSource';
import { exportRoutes } from './export/routes';
import { coverageRoutes } from './coverage/routes';
import { routeRoutes } from './routes/routes';
import { extentRoutes } from './extents/routes';
import { styleRoutes } from './style/routes';

/** Every API feature, mounted under /api. */
export function registerFeatures(api: Router, ctx: AppContext): void {
  // the busiest public reads first: the router tries the routes in this order (no two match one path)
  nearbyRoutes(api, ctx);
  tileRoutes(api, ctx);
  healthRoutes(api, ctx);
  categoryRoutes(api, ctx);
  districtRoutes(api, ctx);
  facilityRoutes(api, ctx);
  basemapRoutes(api, ctx);
  authRoutes(api, ctx);
  userRoutes(api, ctx);
  feedbackRoutes(api, ctx);
  editingRoutes(api, ctx);
  // walking-coverage indicators: computed lazily in the background, never awaited by a request
  indicatorRoutes(api, ctx, {
    coverage: coverageSourceFor(ctx.db, { onError: (e) => ctx.log.error({ err: e }, 'indicator coverage computation failed') }),
  });
  exportRoutes(api, ctx);
  coverageRoutes(api, ctx);
  routeRoutes(api, ctx);
  extentRoutes(api, ctx);
  styleRoutes(api, ctx);
}
