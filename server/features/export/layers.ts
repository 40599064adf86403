/**
 * The export layer registry: every layer the atlas can export. To add one (gaps, served
 * areas, population cells, routes, indicators), write `<name>.layer.ts` with
 * `defineLayer({ … })` and add it to this list — docs/export.md walks through it.
 * Layers with `available()` (feedback) are offered only where their table exists.
 */
import { createLayerRegistry } from './layer';
import { facilitiesLayer } from './facilities.layer';
import { districtsLayer } from './districts.layer';
import { feedbackLayer } from './feedback.layer';

export const EXPORT_LAYERS = createLayerRegistry([facilitiesLayer, districtsLayer, feedbackLayer]);
