import { pino } from 'pino';
import { loadConfig, type Config } from '../config/index.js';
import { buildServer, closeContext, createContext, startBackground } from '../server/index.js';
import { systemClock } from '../shared/index.js';
import { openStore } from '../store/index.js';
import { ensureDefaultTemplates } from '../messaging/index.js';
import { ensureBuiltIns } from '../segments/index.js';
import { DEFAULT_WORKSPACE_ID, ensureDefaultWorkspace } from '../workspaces/index.js';

interface StartFlags {
  port?: string;
  host?: string;
  data?: string;
  role?: Config['role'];
  logLevel?: string;
}

/** The composition root: config, store, context, server, signals. */
export async function runStart(flags: StartFlags): Promise<void> {
  const config = loadConfig({
    port: flags.port,
    host: flags.host,
    dataDir: flags.data,
    role: flags.role,
    logLevel: flags.logLevel,
  });
  const logger = pino({ level: config.logLevel, base: { service: 'rapport', role: config.role } });
  const store = await openStore(config);
  await ensureDefaultWorkspace(store.db, systemClock);
  await ensureBuiltIns(store.db, systemClock, DEFAULT_WORKSPACE_ID);
  await ensureDefaultTemplates(store.db, systemClock, DEFAULT_WORKSPACE_ID);
  const ctx = createContext({
    store,
    clock: systemClock,
    logger,
    adminKey: config.adminKey,
    outboxLeaseMs: config.outboxLeaseMs,
    smtpUrl: config.smtpUrl,
    publicUrl: config.publicUrl,
    rejected: config,
  });
  const app = buildServer(ctx, { role: config.role, http: config });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: no new requests, finishing in-flight writes');
    try {
      await app.close();
      await closeContext(ctx);
      await store.close();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'unclean stop');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  const address = await app.listen({ port: config.port, host: config.host });
  if (!config.publicUrl) ctx.publicUrl = address;
  startBackground(ctx, config.role);
  logger.info(
    { address, store: store.kind, location: store.location },
    `Rapport ${config.role === 'all' ? '' : `(${config.role}) `}listening on ${address}`,
  );
}
