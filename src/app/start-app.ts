import type { Logger } from 'pino';
import { defaultPublicUrl, type Config } from '../config/index.js';
import { ensureDefaultTemplates } from '../messaging/index.js';
import { ensureBuiltIns } from '../segments/index.js';
import { buildServer } from '../server/index.js';
import { systemClock } from '../shared/index.js';
import { openStore, type Store } from '../store/index.js';
import { DEFAULT_WORKSPACE_ID, ensureDefaultWorkspace } from '../workspaces/index.js';
import { buildApp, closeApp, startBackground, type App } from './build-app.js';

export interface RunningApp {
  address: string;
  /** The system the server runs (its public URL, its e-mail setup). */
  app: App;
  store: Store;
  /** Stops taking requests, finishes in-flight work and closes the store. */
  stop(): Promise<void>;
}

/**
 * Runs Rapport as configured: the store (migrated), the default workspace with its
 * built-in segments and templates, the system, its HTTP server on the configured port and
 * the background work of its role. `options.mailCatcher` (`rapport demo` only) sends
 * e-mail to that loopback SMTP catcher instead of SMTP_URL (see `AppOptions.emailCapture`).
 */
export async function startApp(
  config: Config,
  logger: Logger,
  options: { mailCatcher?: string } = {},
): Promise<RunningApp> {
  const store = await openStore(config);
  await ensureDefaultWorkspace(store.db, systemClock);
  await ensureBuiltIns(store.db, systemClock, DEFAULT_WORKSPACE_ID);
  await ensureDefaultTemplates(store.db, systemClock, DEFAULT_WORKSPACE_ID);
  const app = buildApp({
    store,
    clock: systemClock,
    logger,
    adminKey: config.adminKey,
    platformKey: config.platformKey,
    outboxLeaseMs: config.outboxLeaseMs,
    smtpUrl: options.mailCatcher ?? config.smtpUrl,
    emailCapture: options.mailCatcher !== undefined,
    publicUrl: config.publicUrl,
    rejected: config,
  });
  const server = buildServer(app, { role: config.role, http: config, rateLimits: config });
  const address = await server.listen({ port: config.port, host: config.host });
  const bound = server.server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : config.port;
  // Links in messages point where this server listens unless told otherwise.
  app.publicUrl = (config.publicUrl ?? defaultPublicUrl(config.host, port)).replace(/\/+$/, '');
  startBackground(app, config.role);
  return {
    address,
    app,
    store,
    stop: async () => {
      await server.close();
      await closeApp(app);
      await store.close();
    },
  };
}
