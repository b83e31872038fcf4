import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BLOCKED_VALUES,
  identifiersOf,
  identityKey,
  type Identifier,
} from './identifiers.js';
import { DEFAULT_LIMITS, resolveIdentity, type IdentityView } from './resolve.js';

/** A tiny identity graph: profile -> identifiers, created in listed order. */
function graph(profiles: Record<string, string[]>): IdentityView {
  const owner = new Map<string, string>();
  const held = new Map<string, Identifier[]>();
  const order = Object.keys(profiles);
  for (const [p, ids] of Object.entries(profiles)) {
    held.set(
      p,
      ids.map((s) => {
        const [kind, value] = s.split(':') as [Identifier['kind'], string];
        owner.set(identityKey(kind, value), p);
        return { kind, value };
      }),
    );
  }
  return {
    ownerOf: (id) => owner.get(identityKey(id.kind, id.value)),
    identitiesOf: (p) => held.get(p) ?? [],
    createdAt: (p) => order.indexOf(p),
  };
}
const ids = (...s: string[]): Identifier[] =>
  s.map((x) => {
    const [kind, value] = x.split(':') as [Identifier['kind'], string];
    return { kind, value };
  });

describe('resolveIdentity', () => {
  it('creates a profile for identifiers nobody holds', () => {
    expect(
      resolveIdentity(ids('user_id:u1', 'anonymous_id:a1'), graph({}), DEFAULT_LIMITS),
    ).toEqual({
      kind: 'resolved',
      profileId: null,
      attach: ids('user_id:u1', 'anonymous_id:a1'),
      merge: [],
    });
  });

  it('attaches a user id to the anonymous profile it arrives with', () => {
    const g = graph({ P: ['anonymous_id:a1'] });
    expect(resolveIdentity(ids('user_id:u1', 'anonymous_id:a1'), g, DEFAULT_LIMITS)).toEqual({
      kind: 'resolved',
      profileId: 'P',
      attach: ids('user_id:u1'),
      merge: [],
    });
  });

  it('merges an anonymous profile into the known one, the known one surviving', () => {
    const g = graph({ Anon: ['anonymous_id:a1'], Known: ['user_id:u1'] });
    expect(resolveIdentity(ids('user_id:u1', 'anonymous_id:a1'), g, DEFAULT_LIMITS)).toEqual({
      kind: 'resolved',
      profileId: 'Known',
      attach: [],
      merge: ['Anon'],
    });
  });

  it('keeps two known users sharing a device apart', () => {
    const g = graph({ A: ['user_id:alice', 'anonymous_id:device'] });
    // Bob signs in on Alice's device: a new person; the device id stays with Alice.
    expect(resolveIdentity(ids('user_id:bob', 'anonymous_id:device'), g, DEFAULT_LIMITS)).toEqual({
      kind: 'resolved',
      profileId: null,
      attach: ids('user_id:bob'),
      merge: [],
    });
    const g2 = graph({ A: ['user_id:alice', 'anonymous_id:device'], B: ['user_id:bob'] });
    expect(resolveIdentity(ids('user_id:bob', 'anonymous_id:device'), g2, DEFAULT_LIMITS)).toEqual({
      kind: 'resolved',
      profileId: 'B',
      attach: [],
      merge: [],
    });
  });

  it('lets an alias merge past the user id limit', () => {
    const g = graph({ Old: ['user_id:old'], New: ['user_id:new'] });
    const d = resolveIdentity(ids('user_id:new', 'user_id:old'), g, DEFAULT_LIMITS, {
      explicitMerge: true,
    });
    expect(d).toEqual({ kind: 'resolved', profileId: 'Old', attach: [], merge: ['New'] });
  });

  it('respects a configured e-mail limit', () => {
    const g = graph({ P: ['user_id:u', 'email:a@x.io'] });
    const limits = { ...DEFAULT_LIMITS, email: 1 };
    expect(resolveIdentity(ids('user_id:u', 'email:b@x.io'), g, limits)).toEqual({
      kind: 'resolved',
      profileId: 'P',
      attach: [],
      merge: [],
    });
  });

  it('answers none when no identifier is usable', () => {
    expect(resolveIdentity([], graph({}), DEFAULT_LIMITS)).toEqual({ kind: 'none' });
  });
});

describe('identifiersOf', () => {
  const blocked = new Set(DEFAULT_BLOCKED_VALUES);
  it.each(['null', 'undefined', '0', 'anonymous', 'Guest', '', '  '])(
    'drops the blocked value %j',
    (value) => {
      expect(
        identifiersOf(
          { type: 'track', userId: value, anonymousId: value, previousId: null, traits: {} },
          blocked,
        ),
      ).toEqual([]);
    },
  );

  it('takes normalized e-mail and phone from identify traits', () => {
    expect(
      identifiersOf(
        {
          type: 'identify',
          userId: 'u',
          anonymousId: null,
          previousId: null,
          traits: { email: ' Ada@Example.COM ', phone: '+44 (20) 7946-0958' },
        },
        blocked,
      ),
    ).toEqual(ids('user_id:u', 'email:ada@example.com', 'phone:+442079460958'));
  });

  it('honours a workspace blocked list', () => {
    expect(
      identifiersOf(
        { type: 'track', userId: 'test-user', anonymousId: 'a', previousId: null, traits: {} },
        new Set([...blocked, 'test-user']),
      ),
    ).toEqual(ids('anonymous_id:a'));
  });
});
