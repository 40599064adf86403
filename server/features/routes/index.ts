/**
 * Safe walking routes to school (issue #6): the API routes, and the routing graph's cache
 * for callers that change the network (importers, tests) — call `invalidateRoutingGraph(db)`
 * after writing `network_edges` / `network_nodes` in this process.
 */
export { routeRoutes, NoRouteError } from './routes';
export { invalidateRoutingGraph, routingGraph, schoolNetwork, setRoutingRecheckMs, RECHECK_MS } from './service';
