import {
  ConflictError,
  NotFoundError,
  parseIsoDuration,
  systemClock,
  ValidationError,
} from '../shared/index.js';
import type { Store } from '../store/index.js';
import {
  createApiKey,
  KEY_LIFETIME,
  KeyName,
  listApiKeys,
  MAX_ROTATION_GRACE_MS,
  revokeApiKey,
  rotateApiKey,
  type KeyScope,
} from '../workspaces/index.js';

import { auditedCommand } from './audited.js';
import { printTable } from './output.js';
import { withStore, workspaceOf } from './store-command.js';

type Flags = { data?: string; json?: boolean; workspace?: string };

/** A key as `keys list` shows it (never the key), for the audit log. */
async function listed(store: Store, ws: string, id: string) {
  const keys = await listApiKeys(store.db, systemClock, ws);
  return keys.find((k) => k.id === id) ?? null;
}

function invalid(flag: string, problem: string): ValidationError {
  return new ValidationError(`${flag}: ${problem}.`, [{ path: flag, problem }]);
}

/** `rapport keys create`: a new key, printed once. */
export async function runKeysCreate(
  options: Flags & { scope: KeyScope; name?: string; expiresIn?: string },
): Promise<void> {
  let lifetimeMs: number | null = null;
  if (options.expiresIn !== undefined) {
    const parsed = parseIsoDuration(options.expiresIn, KEY_LIFETIME);
    if (parsed.kind !== 'ok') throw invalid('--expires-in', parsed.problem);
    lifetimeMs = parsed.ms;
  }
  let name: string | null = null;
  if (options.name !== undefined) {
    const parsed = KeyName.safeParse(options.name);
    if (!parsed.success) throw invalid('--name', 'must be 1 to 200 characters');
    name = parsed.data;
  }
  await withStore(options, async (store) => {
    const ws = await workspaceOf(store, options.workspace);
    const created = await auditedCommand(
      store,
      'keys create',
      { action: 'key.create', kind: 'key', workspaceId: ws },
      async (s) => {
        const key = await createApiKey(s.db, systemClock, {
          workspaceId: ws,
          scope: options.scope,
          name,
          expiresAt: lifetimeMs === null ? null : systemClock.now() + lifetimeMs,
        });
        return { result: key, targetId: key.id, after: await listed(s, ws, key.id) };
      },
    );
    if (options.json) {
      const { id, key, scope, expiresAt } = created;
      process.stdout.write(`${JSON.stringify({ id, key, scope, name, expiresAt })}\n`);
      return;
    }
    process.stdout.write(`${created.key}\n`);
    process.stderr.write(
      `Created ${created.scope} key ${created.id} for workspace "${ws}"` +
        (created.expiresAt ? `, expiring at ${created.expiresAt}` : '') +
        '. It is shown only once.\n',
    );
  });
}

/** `rapport keys list`: a workspace's keys, never the keys themselves. */
export async function runKeysList(flags: Flags): Promise<void> {
  const keys = await withStore(flags, async (store) =>
    listApiKeys(store.db, systemClock, await workspaceOf(store, flags.workspace)),
  );
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(keys)}\n`);
    return;
  }
  const rows = [
    ['ID', 'SCOPE', 'STATUS', 'PREFIX', 'CREATED', 'EXPIRES', 'NAME'],
    ...keys.map((k) => [
      k.id,
      k.scope,
      k.status === 'revoked' ? `revoked ${k.revokedAt ?? ''}` : k.status,
      `${k.prefix}…`,
      k.createdAt,
      k.expiresAt ?? '-',
      k.name ?? '',
    ]),
  ];
  printTable(rows);
  if (keys.length === 0) process.stderr.write('No keys yet: `rapport keys create --scope ...`.\n');
}

/** `rapport keys revoke <id>`: the key answers 401 from the next request on. */
export async function runKeysRevoke(id: string, flags: Flags): Promise<void> {
  let ws = '';
  const result = await withStore(flags, async (store) => {
    ws = await workspaceOf(store, flags.workspace);
    return auditedCommand(
      store,
      'keys revoke',
      { action: 'key.revoke', kind: 'key', workspaceId: ws },
      async (s) => {
        const before = await listed(s, ws, id);
        const r = await revokeApiKey(s, systemClock, ws, id);
        const changed = r.kind === 'revoked' && before?.revokedAt === null;
        return {
          result: r,
          targetId: id,
          before,
          after: r.kind === 'revoked' ? r.key : null,
          changed,
        };
      },
    );
  });
  if (result.kind === 'not_found') {
    throw new NotFoundError(`No API key "${id}" in workspace "${ws}" (see \`rapport keys list\`).`);
  }
  if (result.kind === 'last_admin') {
    throw new ConflictError(
      `Key "${id}" is the last working admin key of workspace "${ws}". Create another admin key first (\`rapport keys create --scope admin\`), then revoke this one.`,
    );
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result.key)}\n`);
    return;
  }
  process.stdout.write(
    `Revoked ${result.key.scope} key ${id} (${result.key.prefix}…) at ${result.key.revokedAt ?? ''}.\n`,
  );
}

const MAX_GRACE_HOURS = MAX_ROTATION_GRACE_MS / 3_600_000;

/** `rapport keys rotate <id>`: a new key, printed once; the old one works `--grace-hours` more. */
export async function runKeysRotate(
  id: string,
  flags: Flags & { graceHours?: string },
): Promise<void> {
  let hours = 24;
  if (flags.graceHours !== undefined) {
    hours = Number(flags.graceHours);
    if (!/^\d+$/.test(flags.graceHours) || hours > MAX_GRACE_HOURS) {
      throw invalid('--grace-hours', `must be a whole number from 0 to ${MAX_GRACE_HOURS}`);
    }
  }
  let ws = '';
  const result = await withStore(flags, async (store) => {
    ws = await workspaceOf(store, flags.workspace);
    return auditedCommand<Awaited<ReturnType<typeof rotateApiKey>>>(
      store,
      'keys rotate',
      { action: 'key.rotate', kind: 'key', workspaceId: ws },
      async (s) => {
        const before = await listed(s, ws, id);
        const r = await rotateApiKey(s, systemClock, ws, id, {
          graceMs: hours * 3_600_000,
        });
        if (r.kind !== 'rotated') return { result: r, targetId: id, changed: false };
        const after = { previous: r.previous, created: await listed(s, ws, r.created.id) };
        return { result: r, targetId: id, before, after };
      },
    );
  });
  if (result.kind === 'not_found') {
    throw new NotFoundError(`No API key "${id}" in workspace "${ws}" (see \`rapport keys list\`).`);
  }
  if (result.kind === 'inactive') {
    throw new ConflictError(
      `Key "${id}" is ${result.key.status}; there is nothing to hand over. Create a new key instead (\`rapport keys create\`).`,
    );
  }
  const { created, previous } = result;
  if (flags.json) {
    const { id: newId, key, scope, name, expiresAt } = created;
    process.stdout.write(
      `${JSON.stringify({ id: newId, key, scope, name, expiresAt, previous })}\n`,
    );
    return;
  }
  process.stdout.write(`${created.key}\n`);
  process.stderr.write(
    `Created ${created.scope} key ${created.id} to replace ${id}. It is shown only once.\n` +
      `The old key works until ${previous.expiresAt ?? ''}.\n`,
  );
}
