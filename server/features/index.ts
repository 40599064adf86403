import type { Router } from 'express';
import type { AppContext } from '../context';
import { healthRoutes } from './health/routes';
import { categoryRoutes } from './categories/routes';
import { districtRoutes } from './districts/routes';
import { facilityRoutes } from './facilities/routes';
import { nearbyRoutes } from './nearby/routes';
import { tileRoutes } from './tiles/routes';

/** Every API feature, mounted under /api. */
export function registerFeatures(api: Router, ctx: AppContext): void {
  healthRoutes(api, ctx);
  categoryRoutes(api, ctx);
  districtRoutes(api, ctx);
  facilityRoutes(api, ctx);
  nearbyRoutes(api, ctx);
  tileRoutes(api, ctx);
}
