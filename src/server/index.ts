export { buildServer, type ServerOptions } from './build-server.js';
export {
  createContext,
  closeContext,
  startBackground,
  type AppContext,
  type ContextOptions,
} from './context.js';
export { buildOpenApi } from './openapi.js';
export { allRoutes } from './routes/index.js';
export { Metrics } from './metrics.js';
