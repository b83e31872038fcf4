import { pino } from 'pino';
import { emailStartupWarnings, startApp, type RunningApp } from '../app/index.js';
import { loadConfig, type Config } from '../config/index.js';

interface StartFlags {
  port?: string;
  host?: string;
  data?: string;
  role?: Config['role'];
  logLevel?: string;
}

/** `rapport start`: the configuration, the running app, and the signals that stop it. */
export async function runStart(flags: StartFlags): Promise<void> {
  const config = loadConfig({
    port: flags.port,
    host: flags.host,
    dataDir: flags.data,
    role: flags.role,
    logLevel: flags.logLevel,
  });
  const logger = pino({ level: config.logLevel, base: { service: 'rapport', role: config.role } });
  // Filled once the app runs; a signal before that stops nothing but the process.
  const handle: { running?: RunningApp } = {};
  let stopping = false;
  const onSignal = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: no new requests, finishing in-flight writes');
    try {
      await handle.running?.stop();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'unclean stop');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void onSignal('SIGTERM'));
  process.once('SIGINT', () => void onSignal('SIGINT'));

  const running = await startApp(config, logger);
  handle.running = running;
  const personalData = running.store.encryption ? 'encrypted' : 'clear';
  if (!running.store.encryption)
    logger.warn(
      { personalData },
      'Personal data (e-mail, phone, names, addresses, message bodies) is stored in clear: set RAPPORT_ENCRYPTION_KEY (`openssl rand -base64 32`) to encrypt it at rest; see docs/privacy.md',
    );
  if (config.role !== 'api') {
    const setup = { smtp: running.app.email.configured, publicUrl: running.app.publicUrl };
    for (const warning of await emailStartupWarnings(running.store.db, setup))
      logger.warn({ publicUrl: setup.publicUrl, smtp: setup.smtp }, warning);
  }
  logger.info(
    {
      address: running.address,
      publicUrl: running.app.publicUrl,
      store: running.store.kind,
      location: running.store.location,
      personalData,
    },
    `Rapport ${config.role === 'all' ? '' : `(${config.role}) `}listening on ${running.address}`,
  );
}
