import { pino } from 'pino';
import { loadConfig } from '../config/index.js';
import { closeContext, createContext, type AppContext } from '../server/index.js';
import { systemClock } from '../shared/index.js';
import { openStore } from '../store/index.js';
import { ensureDefaultWorkspace } from '../workspaces/index.js';

/** The app's context without an HTTP server, for one-shot commands. */
export async function openApp(flags: { data?: string | undefined }): Promise<{
  ctx: AppContext;
  close(): Promise<void>;
}> {
  const config = loadConfig({ dataDir: flags.data, logLevel: 'warn' });
  const store = await openStore(config);
  await ensureDefaultWorkspace(store.db, systemClock);
  const ctx = createContext({
    store,
    clock: systemClock,
    logger: pino({ level: config.logLevel }, process.stderr),
  });
  return {
    ctx,
    close: async () => {
      await closeContext(ctx);
      await store.close();
    },
  };
}
