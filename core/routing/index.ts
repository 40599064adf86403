/**
 * Safe walking routes to school (issue #6): the safety rule, the routing graph, A* and
 * reverse-tree searches, one route with its facts, and a school's route network. Pure:
 * typed arrays and GeoJSON in and out; runs unchanged in Node and in a Web Worker.
 *
 * @example
 * import { buildRoutingGraph, planRoute } from './core/routing';
 * const g = buildRoutingGraph(input);
 * const r = planRoute(g, home, school, { profile: 'child' });
 */
export * from './safety';
export * from './graph';
export * from './search';
export * from './facts';
export * from './route';
export * from './network';
export * from './text';
