import { pino, type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { RateLimitSettings, RejectedLimits } from '../../src/config/index.js';
import { buildApp, closeApp, startBackground, type App } from '../../src/app/build-app.js';
import type { PipelineStage } from '../../src/profiles/index.js';
import { buildServer } from '../../src/server/index.js';
import { systemClock, type Clock } from '../../src/shared/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import type { StoreKind } from '../../src/store/index.js';
import { ensureDefaultTemplates } from '../../src/messaging/index.js';
import { createApiKey, ensureDefaultWorkspace } from '../../src/workspaces/index.js';
import { withEncryption } from '../../src/store/encryption/install.js';
import { masterKeysFrom } from '../../src/store/encryption/master-keys.js';
import { openTestStore, type TestStore } from './stores.js';

export interface TestApp {
  app: FastifyInstance;
  ctx: App;
  testStore: TestStore;
  clock: Clock;
  keys: { write: string; read: string; admin: string };
  close(): Promise<void>;
}

export const ADMIN_KEY = 'test-admin-key-0123456789';
/** The platform key of test apps built with `platform: true`. */
export const PLATFORM_KEY = 'test-platform-key-0123456789abcdefghij';

/** Every per-key limit off (a rate of 0). */
export const NO_RATE_LIMITS: RateLimitSettings = {
  rateLimitWritePerSecond: 0,
  rateLimitWriteBurst: 1,
  rateLimitReadPerSecond: 0,
  rateLimitReadBurst: 1,
  rateLimitAdminPerSecond: 0,
  rateLimitAdminBurst: 1,
  rateLimitPreviewPerSecond: 0,
  rateLimitPreviewBurst: 1,
  rateLimitPublicPerSecond: 0,
  rateLimitPublicBurst: 1,
};

/** A migrated store, the default workspace, one key per scope and an unstarted server. */
export async function createTestApp(
  kind: StoreKind,
  options: {
    clock?: Clock;
    role?: 'all' | 'api' | 'worker';
    background?: boolean;
    smtpUrl?: string;
    /** `smtpUrl` is a loopback catcher (`rapport demo`'s capture mode). */
    emailCapture?: boolean;
    publicUrl?: string;
    rejected?: RejectedLimits;
    /** Pipeline stages run after the declared ones (a stage that fails on purpose). */
    stages?: PipelineStage[];
    /** Per-key limits; off unless given, as a test's clock may never refill a bucket. */
    rateLimits?: RateLimitSettings;
    /** Configure PLATFORM_KEY (RAPPORT_PLATFORM_KEY); off unless asked. */
    platform?: boolean;
    /**
     * Hold back the global control group's marketing messages. Off unless asked: profile
     * ids are random, so with it on 5% of any test's people would get nothing.
     */
    globalControl?: boolean;
    /** RAPPORT_ENCRYPTION_KEY (and _PREVIOUS): personal data sealed at rest. */
    encryption?: { key: string; previous?: string };
    /** Where the app logs; silent unless given (a test reading warnings). */
    logger?: Logger;
    /** The built dashboard to serve at / (dist/web of the checkout when not given). */
    webRoot?: string;
    /** How long an SMTP check or test send waits on each step. */
    smtpCheckTimeoutMs?: number;
  } = {},
): Promise<TestApp> {
  const testStore = await openTestStore(kind);
  // RAPPORT_TEST_ENCRYPTION_KEY runs any suite with personal data sealed.
  const fromEnv = process.env.RAPPORT_TEST_ENCRYPTION_KEY;
  const encryption = options.encryption ?? (fromEnv ? { key: fromEnv } : undefined);
  if (encryption) {
    const masters = masterKeysFrom({
      encryptionKey: encryption.key,
      encryptionKeyPrevious: encryption.previous,
    });
    testStore.store = await withEncryption(testStore.store, masters, Date.UTC(2026, 0, 1));
  }
  // Background loops live in real time; everything else gets a clock tests can move.
  const clock =
    options.clock ??
    (options.background ? systemClock : new ManualClock(Date.UTC(2026, 10, 1, 12)));
  await ensureDefaultWorkspace(testStore.store.db, clock);
  const ctx = buildApp({
    store: testStore.store,
    clock,
    logger: options.logger ?? pino({ level: 'silent' }),
    adminKey: ADMIN_KEY,
    platformKey: options.platform ? PLATFORM_KEY : undefined,
    smtpUrl: options.smtpUrl,
    ...(options.emailCapture ? { emailCapture: true } : {}),
    publicUrl: options.publicUrl,
    rejected: options.rejected,
    extraStages: options.stages ?? [],
    globalControl: options.globalControl ?? false,
    ...(options.smtpCheckTimeoutMs ? { smtpCheckTimeoutMs: options.smtpCheckTimeoutMs } : {}),
  });
  await ensureDefaultTemplates(testStore.store.db, clock, 'default');
  const mk = async (scope: 'write' | 'read' | 'admin') =>
    (await createApiKey(testStore.store.db, clock, { workspaceId: 'default', scope })).key;
  const keys = { write: await mk('write'), read: await mk('read'), admin: await mk('admin') };
  const app = buildServer(ctx, {
    role: options.role ?? 'all',
    rateLimits: options.rateLimits ?? NO_RATE_LIMITS,
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
  });
  await app.ready();
  if (options.background) startBackground(ctx);
  return {
    app,
    ctx,
    testStore,
    clock,
    keys,
    close: async () => {
      await app.close();
      await closeApp(ctx);
      await testStore.cleanup();
    },
  };
}

/** Sends a JSON request with a key; returns the injected response. */
export function send(
  t: TestApp,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  key: string,
  payload?: unknown,
) {
  return t.app.inject({
    method,
    url,
    headers: {
      authorization: key.startsWith('rk_write') ? basic(key) : bearer(key),
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
}

export const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
export const bearer = (key: string) => `Bearer ${key}`;

/**
 * A test app where e-mail journeys may be activated (SMTP, an https public URL and a
 * sender set); nothing is sent unless the test runs the sender against a real server.
 */
export async function createEmailReadyApp(
  kind: StoreKind,
  options: Omit<Parameters<typeof createTestApp>[1] & object, 'smtpUrl' | 'publicUrl'> = {},
): Promise<TestApp> {
  const t = await createTestApp(kind, {
    ...options,
    smtpUrl: 'smtp://127.0.0.1:9',
    publicUrl: 'https://r.example.com',
  });
  const settings = await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
    email: { from: 'hello@shop.example.com' },
  });
  if (settings.statusCode !== 200) throw new Error(`settings refused: ${settings.body}`);
  return t;
}
