export { Config, CONFIG_SOURCES, DEFAULTS } from './schema.js';
export type { ConfigInput, HttpLimits, RateLimitSettings, RejectedLimits } from './schema.js';
export { loadConfig } from './load.js';
