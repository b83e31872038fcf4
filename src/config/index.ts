export { Config, CONFIG_SOURCES } from './schema.js';
export type { ConfigInput } from './schema.js';
export { loadConfig } from './load.js';
