/**
 * The export layer registry: every layer the atlas can export. To add one, write
 * `<name>.layer.ts` with `defineLayer({ … })` and add it to this list — docs/export.md
 * walks through it. Layers with `available()` (feedback, school routes) are offered only
 * where their table exists.
 */
import { createLayerRegistry } from './layer';
import { facilitiesLayer } from './facilities.layer';
import { districtsLayer } from './districts.layer';
import { feedbackLayer } from './feedback.layer';
import { gapsLayer } from './gaps.layer';
import { servedLayer } from './served.layer';
import { cellsLayer } from './cells.layer';
import { schoolRoutesLayer } from './school-routes.layer';
import { routeSegmentsLayer } from './route-segments.layer';
import { indicatorsLayer } from './indicators.layer';

export const EXPORT_LAYERS = createLayerRegistry([
  facilitiesLayer,
  districtsLayer,
  feedbackLayer,
  gapsLayer,
  servedLayer,
  cellsLayer,
  schoolRoutesLayer,
  routeSegmentsLayer,
  indicatorsLayer,
]);
