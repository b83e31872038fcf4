import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupBy } from '../../shared/index.js';
import type { ConsentChange, ConsentTarget } from './consent.js';
import {
  CONSENT_CHANNELS,
  ConsentSource,
  ConsentState,
  consentFor,
  parseTargetName,
  targetName,
} from './consent.js';
import { compareStatements, foldStatements, SOURCE_STRENGTH } from './merge.js';

const email = { kind: 'channel', channel: 'email' } as const;
const say = (
  state: ConsentChange['state'],
  source: ConsentChange['source'],
  at: number,
  target: ConsentTarget = email,
): ConsentChange => ({ target, state, source, at });

describe('foldStatements', () => {
  it('keeps the latest statement whatever the arrival order', () => {
    const older = say('granted', 'import', 100);
    const newer = say('denied', 'unsubscribe', 200);
    const expected = { state: 'denied', source: 'unsubscribe', at: 200 };
    expect(foldStatements([older, newer]).channels.email).toEqual(expected);
    expect(foldStatements([newer, older]).channels.email).toEqual(expected);
  });

  it.each([
    ['identify', 'unsubscribe', 'denied'],
    ['api', 'unsubscribe', 'denied'],
    ['import', 'unsubscribe', 'denied'],
    ['preference_center', 'unsubscribe', 'granted'],
    ['admin', 'unsubscribe', 'granted'],
    ['identify', 'identify', 'granted'],
    ['api', 'identify', 'granted'],
    ['identify', 'admin', 'denied'],
    ['preference_center', 'admin', 'granted'],
  ] as const)('a later yes via %s after a no via %s leaves %s', (yes, no, expected) => {
    const out = foldStatements([say('denied', no, 100), say('granted', yes, 300)]);
    expect(out.channels.email?.state).toBe(expected);
  });

  it('remembers the strongest no until a strong enough yes, across weaker statements', () => {
    const out = foldStatements([
      say('denied', 'unsubscribe', 1),
      say('denied', 'identify', 2),
      say('granted', 'identify', 3),
    ]);
    expect(out.channels.email).toEqual({ state: 'denied', source: 'identify', at: 2 });
    const lifted = foldStatements([
      say('denied', 'unsubscribe', 1),
      say('granted', 'preference_center', 2),
      say('denied', 'identify', 3),
      say('granted', 'identify', 4),
    ]);
    expect(lifted.channels.email).toEqual({ state: 'granted', source: 'identify', at: 4 });
  });

  it('breaks a tie in time towards the no, then the more deliberate source', () => {
    expect(
      foldStatements([say('granted', 'admin', 5), say('denied', 'identify', 5)]).channels.email,
    ).toEqual({ state: 'denied', source: 'identify', at: 5 });
    expect(
      foldStatements([say('denied', 'unsubscribe', 5), say('denied', 'import', 5)]).channels.email,
    ).toEqual({ state: 'denied', source: 'unsubscribe', at: 5 });
    const a = say('granted', 'api', 5);
    const b = say('denied', 'identify', 5);
    expect(Math.sign(compareStatements(a, b))).toBe(-1);
  });

  it('keeps channels, topics and personalization apart', () => {
    expect(
      foldStatements([
        say('denied', 'api', 1),
        say('granted', 'api', 1, { kind: 'topic', topic: 'offers' }),
        say('denied', 'api', 1, { kind: 'personalization' }),
      ]),
    ).toEqual({
      channels: { email: { state: 'denied', source: 'api', at: 1 } },
      topics: { offers: { state: 'granted', source: 'api', at: 1 } },
      personalization: { state: 'denied', source: 'api', at: 1 },
    });
  });

  it('keeps a topic named __proto__ as data', () => {
    const out = foldStatements([say('denied', 'api', 1, { kind: 'topic', topic: '__proto__' })]);
    expect(Object.keys(out.topics)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out.topics)).toBe(Object.prototype);
  });

  const target = fc.oneof(
    fc
      .constantFrom(...CONSENT_CHANNELS)
      .map((channel): ConsentTarget => ({ kind: 'channel', channel })),
    fc
      .constantFrom('offers', 'newsletter')
      .map((topic): ConsentTarget => ({ kind: 'topic', topic })),
    fc.constant<ConsentTarget>({ kind: 'personalization' }),
  );
  const statement = fc.record({
    target,
    state: fc.constantFrom(...ConsentState.options),
    source: fc.constantFrom(...ConsentSource.options),
    at: fc.integer({ min: 0, max: 20 }),
  });

  it('gives the same consents for any order of the same statements (property)', () => {
    fc.assert(
      fc.property(
        fc
          .array(statement, { maxLength: 25 })
          .chain((list) =>
            fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
          ),
        ([list, shuffled]) => {
          expect(foldStatements(shuffled)).toEqual(foldStatements(list));
        },
      ),
    );
  });

  it('says no whenever the latest of the strongest statements is a no (property)', () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 30 }), (list) => {
        const folded = foldStatements(list);
        for (const [name, group] of groupBy(list, (s) => targetName(s.target))) {
          const strongest = Math.max(...group.map((s) => SOURCE_STRENGTH[s.source]));
          const latest = group
            .filter((s) => SOURCE_STRENGTH[s.source] === strongest)
            .sort(compareStatements)
            .at(-1)!;
          if (latest.state === 'denied') {
            expect(consentFor(folded, parseTargetName(name)!)?.state).toBe('denied');
          }
        }
      }),
    );
  });
});

describe('parseTargetName', () => {
  it.each(['channel:email', 'topic:offers', 'personalization'])('reads back %s', (name) => {
    expect(targetName(parseTargetName(name)!)).toBe(name);
  });
  it.each(['channel:fax', 'topic:Big Offers', 'topic:__proto__', 'email', '', 'topic:'])(
    'refuses %j',
    (name) => {
      expect(parseTargetName(name)).toBeNull();
    },
  );
});
