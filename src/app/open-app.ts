import { pino } from 'pino';
import { defaultPublicUrl, loadConfig, type Config } from '../config/index.js';
import { systemClock } from '../shared/index.js';
import { openStore } from '../store/index.js';
import { ensureDefaultWorkspace } from '../workspaces/index.js';
import { buildApp, closeApp, type App } from './build-app.js';

export interface OpenedApp {
  ctx: App;
  close(): Promise<void>;
}

/** The system without an HTTP server or background loops, for one-shot commands. */
export async function openApp(flags: {
  data?: string | undefined;
  /** Rows an erasure step removes per transaction. */
  erasureBatch?: number;
}): Promise<OpenedApp> {
  return openConfiguredApp(loadConfig({ dataDir: flags.data, logLevel: 'warn' }), flags);
}

/** {@link openApp} on a configuration the caller made (`rapport demo` makes its own). */
export async function openConfiguredApp(
  config: Config,
  options: { erasureBatch?: number | undefined } = {},
): Promise<OpenedApp> {
  const store = await openStore(config);
  await ensureDefaultWorkspace(store.db, systemClock);
  const app = buildApp({
    store,
    clock: systemClock,
    logger: pino({ level: config.logLevel }, process.stderr),
    smtpUrl: config.smtpUrl,
    publicUrl: config.publicUrl ?? defaultPublicUrl(config.host, config.port),
    ...(options.erasureBatch ? { erasureBatch: options.erasureBatch } : {}),
  });
  return {
    ctx: app,
    close: async () => {
      await closeApp(app);
      await store.close();
    },
  };
}
