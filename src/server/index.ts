export { buildServer } from './build-server.js';
export type { AppContext } from './context.js';
export { Metrics } from './metrics.js';
export type { Backlog } from './backlog-metrics.js';
