/**
 * The coverage engine (issue #4): planning norms, population grids, euclidean and network
 * coverage, 2SFCA, gap polygons and what-if scenarios. Pure: typed arrays and GeoJSON in,
 * the same out; runs unchanged in Node and in a Web Worker.
 *
 * @example
 * import { buildGrid, cellsFromGrid, analyseCategory } from './core/coverage';
 */
export * from './types';
export * from './norms';
export * from './geo';
export * from './grid';
export * from './dasymetric';
export * from './nearest';
export * from './graph';
export * from './slope';
export * from './dijkstra';
export * from './coverage';
export * from './coverCounts';
export * from './fca';
export * from './gaps';
export * from './whatif';
export * from './wire';
export * from './sparse';
