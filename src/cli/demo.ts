import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { openConfiguredApp, startApp, type RunningApp } from '../app/index.js';
import { defaultPublicUrl, loadConfig, type Config } from '../config/index.js';
import { createProgress } from '../importer/index.js';
import { parseIsoDuration, systemClock, ValidationError } from '../shared/index.js';
import type { Store } from '../store/index.js';
import { createApiKey, DEFAULT_WORKSPACE_ID } from '../workspaces/index.js';
import { startMailCatcher, type MailCatcher } from './demo-catcher.js';
import { BUNDLED_DATA, dataFiles, HOLD_BACK_DAYS } from './demo-data.js';
import { inspectDemoFolder, saveDemoState, type DemoState } from './demo-folder.js';
import { firstTraining, importShop, readReplay } from './demo-prepare.js';
import { startReplay, type Replay } from './demo-replay.js';
import { segmentsFilled, setUpShop } from './demo-setup.js';

interface DemoFlags {
  port?: string;
  host?: string;
  data?: string;
  source?: string;
  replayOver?: string;
  logLevel?: string;
}

/** Where the demo keeps its shop when --data is not given. */
export const DEFAULT_DEMO_DIR = './rapport-demo';
const REPLAY_RULES = { maxMs: 86_400_000, maxText: '1 day (P1D)', allowZero: false };
const DAY_MS = 86_400_000;
/**
 * The demo always runs on its own embedded store and its own mail catcher: these would
 * point it at real data or a real mail server, so they are left out (and the banner says so).
 */
const NOT_FOR_THE_DEMO = ['DATABASE_URL', 'RAPPORT_DATA_DIR', 'SMTP_URL', 'RAPPORT_ROLE'];

const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `rapport demo`: `rapport start` on a prepared demo folder. A new folder gets the Online
 * Retail year imported (its last weeks held back) and its profiles and model built; the
 * server then fills the segments and trains the recommendations, the ready-made e-mail
 * journeys are switched on, and the held-back weeks are replayed as live traffic while
 * the dashboard is open. E-mail goes to a catcher on loopback whose messages stay in the
 * folder. A demo folder is resumed, not rebuilt.
 */
export async function runDemo(flags: DemoFlags): Promise<void> {
  const started = Date.now();
  const dir = resolve(flags.data ?? DEFAULT_DEMO_DIR);
  const replay = parseIsoDuration(flags.replayOver ?? 'PT10M', REPLAY_RULES);
  if (replay.kind !== 'ok') {
    throw new ValidationError(`--replay-over: ${replay.problem}.`, [
      { path: '--replay-over', problem: replay.problem },
    ]);
  }
  const files = dataFiles(flags.source ?? BUNDLED_DATA, flags.source ? '--source' : 'data');
  const ignored = NOT_FOR_THE_DEMO.filter((name) => process.env[name]);
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !NOT_FOR_THE_DEMO.includes(name)),
  );
  const config = loadConfig(
    {
      port: flags.port,
      host: flags.host,
      dataDir: dir,
      role: 'all',
      logLevel: flags.logLevel ?? (env.RAPPORT_LOG_LEVEL || 'warn'),
    },
    env,
  );
  const folder = inspectDemoFolder(dir);
  mkdirSync(dir, { recursive: true });
  if (ignored.length > 0)
    say(`Not used by the demo (its own store and mail catcher): ${ignored.join(', ')}.`);

  let state = folder.kind === 'existing' ? folder.state : null;
  if (state?.stage === 'ready') {
    say(
      `Resuming the demo made ${state.createdAt}: nothing is imported again; the replay goes on at event ${state.replay.sent} of ${state.replay.total}. Remove ${dir} for a fresh shop.`,
    );
  } else {
    say(`Preparing a demo shop in ${dir}: importing the Online Retail year (about a minute).`);
    state = await prepare(config, files, dir, state);
  }

  const catcher = await startMailCatcher(join(dir, 'mail'));
  const logger = pino({ level: config.logLevel, base: { service: 'rapport', role: 'demo' } });
  let running: RunningApp;
  try {
    running = await startApp(config, logger, { mailCatcher: catcher.url });
  } catch (error) {
    await catcher.close();
    throw error;
  }
  const handle: { replay?: Replay; state: DemoState } = { state };
  stopOnSignals(running, catcher, handle, dir);
  const url = defaultPublicUrl(config.host, Number(new URL(running.address).port));
  const adminKey = config.adminKey ?? state.adminKey;

  // The server's loop trains the recommendations from the log as it starts: on the full
  // year that takes longer than everything else, and nothing on the first screens waits
  // for it, so the demo says when it is done instead of waiting.
  void firstTraining(running.app).then((seconds) =>
    say(`Recommendations trained, ${seconds.toFixed(0)} s after the server started.`),
  );
  if (state.stage === 'preparing') {
    try {
      if (adminKey === null) throw new Error('no admin key: set RAPPORT_ADMIN_KEY');
      say(
        `Dashboard at ${url}/ (admin key ${config.adminKey ? 'RAPPORT_ADMIN_KEY' : adminKey}): the profiles are in; the segments are filling.`,
      );
      // The back-fill marks every segment ready at once when it is done: a bar would only
      // jump from 0 to 17, so a line before and one after.
      const filling = Date.now();
      await segmentsFilled(url, adminKey);
      say(`Segments filled in ${((Date.now() - filling) / 1000).toFixed(0)} s; journeys on.`);
      await setUpShop(url, adminKey);
    } catch (error) {
      // The folder stays "preparing": the next run prepares again (the import is idempotent).
      await running.stop();
      await catcher.close();
      throw error;
    }
    state.stage = 'ready';
    saveDemoState(dir, state);
  }
  banner({ url, dir, catcher, state, envKey: config.adminKey !== undefined, started });
  handle.replay = replayRest(url, state, replay.ms, dir);
  await handle.replay.done;
  if (state.replay.sent >= state.replay.total)
    say('Replay finished: the shop keeps running until Ctrl-C.');
}

/**
 * Fills the folder before the server starts: keys (kept in demo.json), the import with
 * its held-back weeks, the profiles and the workspace model. A folder left "preparing"
 * by an interrupted run keeps its keys and is imported again (nothing is stored twice).
 */
async function prepare(
  config: Config,
  files: string[],
  dir: string,
  previous: DemoState | null,
): Promise<DemoState> {
  const opened = await openConfiguredApp(config);
  try {
    const state = previous ?? (await newState(opened.ctx.store, config));
    saveDemoState(dir, state);
    const imported = await importShop(opened.ctx, files, dir);
    Object.assign(state, {
      shiftedDays: imported.shiftedDays,
      replay: { from: imported.from, total: imported.heldBack, sent: 0 },
    });
    saveDemoState(dir, state);
    say(
      `Imported ${imported.events.toLocaleString('en')} events in ${imported.seconds.toFixed(1)} s, moved ${imported.shiftedDays.toLocaleString('en')} days so the shop's last ${HOLD_BACK_DAYS} days start today; ${imported.heldBack.toLocaleString('en')} events of those days held back for the replay.`,
    );
    return state;
  } finally {
    await opened.close();
  }
}

async function newState(
  store: Store,
  config: { adminKey?: string | undefined },
): Promise<DemoState> {
  const make = (scope: 'admin' | 'write', name: string) =>
    createApiKey(store.db, systemClock, { workspaceId: DEFAULT_WORKSPACE_ID, scope, name });
  return {
    demo: 'rapport',
    version: 1,
    stage: 'preparing',
    createdAt: new Date(systemClock.now()).toISOString(),
    shiftedDays: 0,
    adminKey: config.adminKey ? null : (await make('admin', 'demo dashboard')).key,
    writeKey: (await make('write', 'demo replay')).key,
    replay: { from: 0, total: 0, sent: 0 },
  };
}

function banner(o: {
  url: string;
  dir: string;
  catcher: MailCatcher;
  state: DemoState;
  envKey: boolean;
  started: number;
}): void {
  const key = o.envKey ? 'your RAPPORT_ADMIN_KEY' : o.state.adminKey;
  say(
    [
      '',
      `  Dashboard:  ${o.url}/`,
      `  Sign in with the admin key: ${key}`,
      `  E-mail is captured, never sent: a catcher on ${o.catcher.url} keeps each message in ${o.catcher.dir}`,
      '  and the Messages page shows what was sent.',
      `  Replaying the shop's last ${HOLD_BACK_DAYS} days as live traffic (${o.state.replay.total.toLocaleString('en')} events).`,
      `  Ready in ${((Date.now() - o.started) / 1000).toFixed(0)} s. Ctrl-C stops; \`rapport demo\` again resumes.`,
      '',
    ].join('\n'),
  );
}

/** Replays what is left of the held-back weeks, saving how far it got as it goes. */
function replayRest(url: string, state: DemoState, overMs: number, dir: string): Replay {
  const events = readReplay(dir);
  const bar = createProgress('replay', events.length, { unit: ' events' });
  let saved = Date.now();
  const replay = startReplay({
    url,
    writeKey: state.writeKey,
    events,
    start: Math.min(state.replay.sent, events.length),
    from: state.replay.from,
    windowMs: HOLD_BACK_DAYS * DAY_MS,
    overMs,
    onSent: (sent) => {
      state.replay.sent = sent;
      bar.update(sent);
      if (Date.now() - saved > 2000 || sent === events.length) {
        saved = Date.now();
        saveDemoState(dir, state);
      }
    },
    onError: (message) => process.stderr.write(`replay: ${message}\n`),
  });
  void replay.done.then(() => bar.stop());
  return replay;
}

function stopOnSignals(
  running: RunningApp,
  catcher: MailCatcher,
  handle: { replay?: Replay; state: DemoState },
  dir: string,
): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await handle.replay?.stop();
      saveDemoState(dir, handle.state);
      await running.stop();
      await catcher.close();
      process.exit(0);
    } catch (error) {
      process.stderr.write(`rapport: unclean stop: ${(error as Error).message}\n`);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
