import { pino } from 'pino';
import { defaultPublicUrl, loadConfig } from '../config/index.js';
import { systemClock } from '../shared/index.js';
import { openStore } from '../store/index.js';
import { ensureDefaultWorkspace } from '../workspaces/index.js';
import { buildApp, closeApp, type App } from './build-app.js';

/** The system without an HTTP server or background loops, for one-shot commands. */
export async function openApp(flags: {
  data?: string | undefined;
  /** Rows an erasure step removes per transaction. */
  erasureBatch?: number;
}): Promise<{
  ctx: App;
  close(): Promise<void>;
}> {
  const config = loadConfig({ dataDir: flags.data, logLevel: 'warn' });
  const store = await openStore(config);
  await ensureDefaultWorkspace(store.db, systemClock);
  const app = buildApp({
    store,
    clock: systemClock,
    logger: pino({ level: config.logLevel }, process.stderr),
    smtpUrl: config.smtpUrl,
    publicUrl: config.publicUrl ?? defaultPublicUrl(config.host, config.port),
    ...(flags.erasureBatch ? { erasureBatch: flags.erasureBatch } : {}),
  });
  return {
    ctx: app,
    close: async () => {
      await closeApp(app);
      await store.close();
    },
  };
}
