export { buildServer, type ServerOptions } from './build-server.js';
export type { AppContext } from './context.js';
export { buildOpenApi } from './openapi.js';
export { allRoutes } from './routes/index.js';
export { Metrics } from './metrics.js';
