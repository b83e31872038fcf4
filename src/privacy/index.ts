// The consent core: what each person said yes or no to, the one decision every send goes
// through, and the signed links of the preference center. Pure (no I/O, no clock):
// times come in as arguments. Imports only `shared`.
export * from './consent/index.js';
export * from './tokens/index.js';
