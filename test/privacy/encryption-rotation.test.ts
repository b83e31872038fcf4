import { afterEach, describe, expect, it } from 'vitest';
import { findProfileId, loadFacts } from '../../src/profiles/profile-repo.js';
import { statedTraits } from '../../src/profiles/stated-traits.js';
import { masterKeyId } from '../../src/store/core/envelope.js';
import { withEncryption } from '../../src/store/encryption/install.js';
import { masterKeysFrom } from '../../src/store/encryption/master-keys.js';
import { reencryptAll, rotateEncryption } from '../../src/store/encryption/reencrypt.js';
import type { Store } from '../../src/store/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { findClear, rawText } from '../helpers/raw-scan.js';
import { reopenStore, STORE_KINDS } from '../helpers/stores.js';

const A = Buffer.alloc(32, 1).toString('base64');
const B = Buffer.alloc(32, 2).toString('hex');
const PEOPLE = Array.from({ length: 7 }, (_, i) => `person${i}.rotation@example.com`);

describe.each(STORE_KINDS)('encryption key rotation (%s)', (kind) => {
  let t: TestApp;
  const opened: Store[] = [];
  const open = async (key: string | undefined, previous?: string) => {
    const store = await withEncryption(
      reopenStore(t.testStore),
      masterKeysFrom({ encryptionKey: key, encryptionKeyPrevious: previous }),
      Date.UTC(2026, 5, 1),
    );
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    await t.close();
  });

  const ingest = async () => {
    let n = 0;
    for (const email of PEOPLE)
      await send(t, 'POST', '/v1/identify', t.keys.write, {
        messageId: `m${n++}`,
        userId: email.split('@')[0],
        traits: { email, first_name: 'Rotaria', phone: `+1 415 555 010${n}` },
      });
    await t.ctx.profiles.drain();
  };
  /** Every person found by e-mail, with the e-mail trait readable. */
  const readAll = async (store: Store) => {
    for (const email of PEOPLE) {
      const id = await findProfileId(store.db, 'default', 'email', email);
      expect(id, email).not.toBeNull();
      const facts = (await loadFacts(store.db, id!))!.facts;
      expect(statedTraits(facts).traits.email).toBe(email);
    }
  };

  it('re-wraps under the new master key and re-encrypts in batches while both keys read', async () => {
    t = await createTestApp(kind, { encryption: { key: A } });
    await ingest();
    // Step 1 of the procedure: every process restarts with the new key and the old one.
    const reader = await open(B, A);
    const rotating = await open(B, A);
    let batches = 0;
    const result = await rotateEncryption(rotating, Date.UTC(2026, 5, 2), {
      batchSize: 3,
      onBatch: async () => {
        batches += 1;
        await readAll(reader);
        await readAll(rotating);
      },
    });
    expect(batches).toBeGreaterThan(3);
    expect(result.rewrapped).toBe(2);
    const current = result.dataKey;
    const sealed = (await rawText(rotating)).filter((c) => c.text.startsWith('enc:v1:'));
    expect(sealed.length).toBeGreaterThan(PEOPLE.length);
    expect(sealed.filter((c) => !c.text.startsWith(`enc:v1:${current}:`))).toEqual([]);
    expect(await findClear(rotating, PEOPLE)).toEqual([]);

    // Step 3: the old key is dropped; the new one alone opens everything.
    await readAll(await open(B));
    await expect(open(A)).rejects.toThrow(/RAPPORT_ENCRYPTION_KEY does not open this database/);
  });

  it('refuses a wrong key, a missing key and a malformed key with a clear error', async () => {
    t = await createTestApp(kind, { encryption: { key: A } });
    await ingest();
    await expect(open(B)).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringMatching(
        /does not open this database's keys.*RAPPORT_ENCRYPTION_KEY_PREVIOUS/,
      ),
    });
    await expect(open(undefined)).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringMatching(
        /holds encrypted personal data.*RAPPORT_ENCRYPTION_KEY is not set/,
      ),
    });
    await expect(open('c2hvcnQ=')).rejects.toThrow(
      /RAPPORT_ENCRYPTION_KEY must be 32 random bytes as base64 .* or hex .*; it has 8 characters/,
    );
    expect(masterKeyId(Buffer.from(A, 'base64'))).not.toBe(masterKeyId(Buffer.from(B, 'hex')));
  });

  it('answers a clear corrupt_data error for tampered ciphertext, not garbage', async () => {
    t = await createTestApp(kind, { encryption: { key: A } });
    await ingest();
    const store = t.testStore.store;
    const facts = (await rawText(store)).find((c) => c.where === 'profiles.facts')!.text;
    // Flip one character of the ciphertext body.
    const last = facts.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${facts.slice(0, -2)}${last}${facts.slice(-1)}`;
    if (store.kind === 'sqlite')
      store.sqlite!.prepare('UPDATE profiles SET facts = ? WHERE facts = ?').run(tampered, facts);
    else
      await store.pgPool!.query('UPDATE profiles SET facts = $1 WHERE facts = $2', [
        tampered,
        facts,
      ]);
    const res = await send(
      t,
      'GET',
      '/v1/profiles/email/person0.rotation@example.com',
      t.keys.read,
    );
    const others = await Promise.all(
      PEOPLE.slice(1).map((e) => send(t, 'GET', `/v1/profiles/email/${e}`, t.keys.read)),
    );
    const bad = [res, ...others].filter((r) => r.statusCode !== 200);
    expect(bad).toHaveLength(1);
    expect(bad[0]!.json().error).toMatchObject({
      code: 'corrupt_data',
      message: expect.stringMatching(/facts does not decrypt: the value does not authenticate/),
    });
  });

  it('seals a database that was in clear once a key is set, keeping lookups working meanwhile', async () => {
    t = await createTestApp(kind);
    await ingest();
    expect((await findClear(t.testStore.store, PEOPLE)).length).toBeGreaterThan(0);
    const keyed = await open(A);
    await readAll(keyed);
    const n = await reencryptAll(keyed, {
      batchSize: 4,
      onBatch: async () => {
        await readAll(keyed);
      },
    });
    expect(n).toBeGreaterThan(PEOPLE.length * 2);
    await readAll(keyed);
    const leftovers = await findClear(keyed, PEOPLE);
    expect(leftovers.filter((w) => !w.startsWith('/'))).toEqual([]);
  });
});
