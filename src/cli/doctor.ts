import { EmailSender } from '../channels/index.js';
import { defaultPublicUrl, loadConfig, type Config } from '../config/index.js';
import { readSettings } from '../messaging/index.js';
import { AppError, systemClock } from '../shared/index.js';
import { inspectStore, type Store } from '../store/index.js';
import { listApiKeys, listWorkspaceIds } from '../workspaces/index.js';

/** One finding: `fail` needs fixing (exit 1), `warn` is worth knowing. */
export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  message: string;
  fix?: string;
}

const message = (e: unknown): string => {
  if (!(e instanceof Error)) return String(e);
  // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a TLS error...).
  const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return `${e.message}${cause}`;
};

async function smtpCheck(config: Config): Promise<Check> {
  if (!config.smtpUrl)
    return {
      name: 'smtp',
      status: 'warn',
      message: 'SMTP_URL is not set: e-mail is off, and e-mail journeys cannot be activated',
      fix: 'set SMTP_URL=smtp://user:password@host:587 (or smtps://…:465)',
    };
  const sender = new EmailSender(config.smtpUrl);
  try {
    // Connects, reads the greeting, says EHLO (and logs in when the URL has a user).
    const verified = await sender.verify();
    return verified.kind === 'ok'
      ? { name: 'smtp', status: 'ok', message: 'connected, EHLO answered' }
      : {
          name: 'smtp',
          status: 'fail',
          message: `cannot use the SMTP server in SMTP_URL: ${verified.error}`,
          fix: 'check the host, port, user and password in SMTP_URL, and that this machine may reach it',
        };
  } finally {
    sender.close();
  }
}

async function publicUrlChecks(config: Config): Promise<Check[]> {
  const url = (config.publicUrl ?? defaultPublicUrl(config.host, config.port)).replace(/\/+$/, '');
  const out: Check[] = [];
  const from = config.publicUrl ? 'RAPPORT_PUBLIC_URL' : 'default: the listening address';
  if (url.startsWith('https://'))
    out.push({ name: 'public-url', status: 'ok', message: `${url} (${from})` });
  else
    out.push({
      name: 'public-url',
      // Without SMTP nothing needs it to be https yet.
      status: config.smtpUrl ? 'fail' : 'warn',
      message: `${url} (${from}) is not https: e-mails carry one-click unsubscribe links, which must be https (RFC 8058)`,
      fix: 'set RAPPORT_PUBLIC_URL=https://… to where people reach this server (a TLS proxy in front of it)',
    });
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json().catch(() => null)) as { status?: unknown } | null;
    out.push(
      res.ok && body?.status === 'ok'
        ? { name: 'public-url-health', status: 'ok', message: `${url}/health answers ok` }
        : {
            name: 'public-url-health',
            status: 'fail',
            message: `${url}/health answered ${res.status}${body ? '' : ', not Rapport'}`,
            fix: 'point RAPPORT_PUBLIC_URL at this Rapport server',
          },
    );
  } catch (error) {
    out.push({
      name: 'public-url-health',
      status: 'fail',
      message: `${url}/health cannot be reached: ${message(error)}`,
      fix: 'start Rapport (rapport start), or set RAPPORT_PUBLIC_URL to where it can be reached',
    });
  }
  return out;
}

async function workspaceChecks(store: Store, config: Config): Promise<Check[]> {
  const out: Check[] = [];
  for (const ws of await listWorkspaceIds(store.db)) {
    const keys = (await listApiKeys(store.db, systemClock, ws)).filter(
      (k) => k.status === 'active',
    );
    const has = (scope: string) => keys.some((k) => k.scope === scope);
    const admin = has('admin') || (ws === 'default' && config.adminKey !== undefined);
    const missing = ['write', 'read'].filter((s) => !has(s));
    if (!admin) missing.unshift('admin');
    out.push(
      missing.length === 0
        ? { name: `keys:${ws}`, status: 'ok', message: `admin, write and read keys are active` }
        : {
            name: `keys:${ws}`,
            status: 'warn',
            message: `no active ${missing.join(', ')} key`,
            fix: `rapport keys create --scope ${missing[0]} --workspace ${ws} (with the same --data or DATABASE_URL as the server)`,
          },
    );
    const settings = await readSettings(store.db, ws);
    out.push(
      settings.email.from
        ? { name: `sender:${ws}`, status: 'ok', message: `e-mail from ${settings.email.from}` }
        : {
            name: `sender:${ws}`,
            status: config.smtpUrl ? 'fail' : 'warn',
            message: 'no sender address (email.from): e-mail cannot be sent',
            fix: `PUT /v1/admin/settings with {"email": {"from": "shop@example.com"}} (an admin key of "${ws}")`,
          },
    );
  }
  return out;
}

async function storeChecks(config: Config): Promise<Check[]> {
  const found = await inspectStore(config);
  if (found.kind === 'missing')
    return [
      {
        name: 'store',
        status: 'fail',
        message: `no store at ${found.location}`,
        fix: 'run rapport start once with this --data (or RAPPORT_DATA_DIR), or set DATABASE_URL',
      },
    ];
  if (found.kind === 'unreachable')
    return [
      {
        name: 'store',
        status: 'fail',
        message: `cannot reach ${found.location}: ${found.problem}`,
        fix: 'check DATABASE_URL and that the database server runs',
      },
    ];
  const { store } = found;
  try {
    const out: Check[] = [
      found.pending.length === 0
        ? { name: 'store', status: 'ok', message: `${store.kind} at ${store.location}, migrated` }
        : {
            name: 'store',
            status: 'fail',
            message: `${store.kind} at ${store.location} lacks migrations ${found.pending.join(', ')}`,
            fix: 'run rapport start (it migrates) with this version',
          },
    ];
    const enc = found.encryption;
    out.push(
      enc.state === 'encrypted'
        ? { name: 'encryption', status: 'ok', message: 'personal data is encrypted at rest' }
        : enc.state === 'clear'
          ? {
              name: 'encryption',
              status: 'warn',
              message: 'personal data is stored in clear',
              fix: 'set RAPPORT_ENCRYPTION_KEY (rapport encryption generate-key), then rapport encryption reencrypt',
            }
          : {
              name: 'encryption',
              status: 'fail',
              message: enc.problem ?? 'the encryption keys do not open',
              fix: 'set RAPPORT_ENCRYPTION_KEY to the master key the data was encrypted with',
            },
    );
    if (found.pending.length === 0 && enc.state !== 'error')
      out.push(...(await workspaceChecks(store, config)));
    return out;
  } finally {
    await store.close();
  }
}

/** Every check, in the order a first run meets them. */
export async function doctorChecks(config: Config): Promise<Check[]> {
  return [
    ...(await storeChecks(config)),
    ...(await smtpCheck(config).then((c) => [c])),
    ...(await publicUrlChecks(config)),
  ];
}

/** `rapport doctor`: checks configuration and connectivity, says what to fix; exit 1 on a problem. */
export async function runDoctor(flags: { data?: string; json?: boolean }): Promise<void> {
  let checks: Check[];
  try {
    checks = await doctorChecks(loadConfig({ dataDir: flags.data, logLevel: 'warn' }));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    checks = [
      {
        name: 'config',
        status: 'fail',
        message: error.message,
        fix: 'correct the variable or flag it names (README, Configuration)',
      },
    ];
  }
  const failed = checks.some((c) => c.status === 'fail');
  if (flags.json) process.stdout.write(`${JSON.stringify({ ok: !failed, checks })}\n`);
  else {
    const mark = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };
    for (const c of checks) {
      process.stdout.write(`${mark[c.status]}  ${c.name}: ${c.message}\n`);
      if (c.fix && c.status !== 'ok') process.stdout.write(`      fix: ${c.fix}\n`);
    }
    process.stdout.write(failed ? 'Problems found: fix the FAIL lines above.\n' : 'No problems.\n');
  }
  if (failed) process.exitCode = 1;
}
