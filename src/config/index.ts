export { Config, DEFAULTS } from './schema.js';
export type { HttpLimits, RateLimitSettings, RejectedLimits } from './schema.js';
export { loadConfig } from './load.js';
export { defaultPublicUrl } from './public-url.js';
