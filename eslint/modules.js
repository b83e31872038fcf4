// @ts-check
/**
 * Who may import whom: one row per folder of `src/`, listing the modules its files may
 * import. Anything not listed is an error. A folder without a row stops lint, so adding
 * a module means deciding its place here (and in ARCHITECTURE.md's table).
 *
 * The layers, top to bottom: `cli` -> `app` -> `server` -> domain modules -> `jobs` ->
 * `store` -> `shared`. Every domain module may use `jobs`, `store` and `shared`;
 * arrows between domain modules are listed one by one and point down this file.
 * `config` is parsed once at the top and passed down, so only the top imports it.
 */

const base = ['jobs', 'store', 'shared'];

const domain = [
  'audit',
  'workspaces',
  'catalog',
  'privacy',
  'channels',
  'profiles',
  'ingest',
  'importer',
  'segments',
  'recommend',
  'decisions',
  'messaging',
  'journeys',
  'measurement',
  'erasure',
];

/** @type {Readonly<Record<string, readonly string[]>>} */
export const modules = {
  // The bottom: shared helpers, then the store, then background loops.
  shared: [],
  config: ['shared'],
  store: ['shared'],
  jobs: ['store', 'shared'],

  // Pure and transport modules: no table of their own to read.
  privacy: ['shared'],
  channels: ['privacy', ...base],

  // The audit log: appended by the routes in an admin action's transaction.
  audit: [...base],

  // The domain. `workspaces` and `profiles` never reach up to channels or messaging:
  // the profile stage must not load mail, push and template libraries.
  workspaces: ['privacy', ...base],
  catalog: [...base],
  profiles: ['catalog', 'workspaces', ...base],
  ingest: ['profiles', ...base],
  importer: ['catalog', 'ingest', 'profiles', ...base],
  segments: ['profiles', ...base],
  recommend: ['catalog', 'profiles', ...base],
  decisions: ['segments', 'profiles', 'catalog', 'workspaces', 'privacy', ...base],
  messaging: ['catalog', 'channels', 'decisions', 'privacy', 'profiles', 'workspaces', ...base],
  journeys: ['catalog', 'channels', 'decisions', 'messaging', 'profiles', 'segments', ...base],
  measurement: ['journeys', 'messaging', 'segments', 'profiles', 'catalog', 'workspaces', ...base],
  // Erasure jobs and retention: the runners; each module's own personal-data functions
  // are handed to them by the composition root.
  erasure: ['workspaces', ...base],

  // Browser code (the on-site slots script): imports nothing and nothing imports it;
  // `server` serves its compiled file.
  sdk: [],

  // The top. Nothing imports `server` but the composition root, nothing imports `cli`,
  // and only `cli` starts the composition root (tests and benches may too).
  server: [...domain, 'config', ...base],
  app: ['server', ...domain, 'config', ...base],
  cli: ['app', ...domain, 'config', ...base],
};
