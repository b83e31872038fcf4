import type { ErrorDetail } from '../../shared/index.js';
import type { ConsentChange, ConsentSource, ConsentState, ConsentTarget } from './consent.js';
import { CONSENT_CHANNELS, ConsentChannel, ConsentState as StateSchema, Topic } from './consent.js';

/** What {@link consentFromTraits} read from a set of traits. */
export interface TraitConsent {
  /** The consent statements found, all with the same source and time. */
  changes: ConsentChange[];
  /** Values that look like consent but could not be read, by trait path; they change nothing. */
  issues: ErrorDetail[];
  /** The top-level trait keys that carried consent, so the caller may keep them out of traits. */
  keys: string[];
}

const PERSONALIZATION = 'personalization';

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

// `email_opt_in` / `emailOptIn`, and the same for every channel and for personalization.
const FLAG_KEYS: ReadonlyMap<string, ConsentTarget> = new Map(
  [...CONSENT_CHANNELS, PERSONALIZATION].flatMap((name): [string, ConsentTarget][] => {
    const target: ConsentTarget =
      name === PERSONALIZATION
        ? { kind: 'personalization' }
        : { kind: 'channel', channel: ConsentChannel.parse(name) };
    return [
      [`${name}_opt_in`, target],
      [camel(`${name}_opt_in`), target],
    ];
  }),
);

const CONSENT_OBJECT_KEYS = new Set<string>([...CONSENT_CHANNELS, 'topics', PERSONALIZATION]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `true`/`false` or a state name; anything else is an issue. */
function readState(value: unknown): { state: ConsentState } | { problem: string } {
  if (value === true) return { state: 'granted' };
  if (value === false) return { state: 'denied' };
  const parsed = StateSchema.safeParse(value);
  if (parsed.success) return { state: parsed.data };
  const got = JSON.stringify(value) ?? 'undefined';
  return { problem: `must be true, false, "granted", "denied" or "unknown" (got ${got})` };
}

/**
 * Reads consent statements out of identify traits. Accepted shapes (all optional, any mix):
 *
 * - `email_opt_in` / `emailOptIn` (likewise `push_`, `sms_`, `webhook_`, `in_app_`,
 *   `personalization_`): `true` grants, `false` denies, or a state name.
 * - `unsubscribed: true`: denies e-mail (the Customer.io convention). `unsubscribed: false`
 *   is not a consent and changes nothing: a system that sends it for everyone must not
 *   opt everyone in.
 * - `consent: { email, push, sms, webhook, in_app, personalization, topics: { <topic>: … } }`
 *   with the same values.
 *
 * When one identify says both yes and no about the same thing (`email_opt_in: true` and
 * `consent.email: "denied"`), the merge's tie-break makes the no win. Values it cannot
 * read become `issues` and change nothing; `null` (a cleared trait) says nothing. It
 * never throws.
 *
 * @example
 * consentFromTraits({ email_opt_in: false, consent: { topics: { offers: 'granted' } } }, now)
 * // changes: email denied, topic offers granted, both { source: 'identify', at: now }
 */
export function consentFromTraits(
  traits: Record<string, unknown>,
  at: number,
  source: ConsentSource = 'identify',
): TraitConsent {
  const changes: ConsentChange[] = [];
  const issues: ErrorDetail[] = [];
  const keys: string[] = [];
  const add = (target: ConsentTarget, value: unknown, path: string): void => {
    // A null trait is a cleared trait: it says nothing about consent.
    if (value === null || value === undefined) return;
    const read = readState(value);
    if ('state' in read) changes.push({ target, state: read.state, source, at });
    else issues.push({ path, problem: read.problem });
  };

  for (const [key, value] of Object.entries(traits)) {
    const flag = FLAG_KEYS.get(key);
    if (flag) {
      keys.push(key);
      add(flag, value, key);
    } else if (key === 'unsubscribed') {
      keys.push(key);
      if (value === true) add({ kind: 'channel', channel: 'email' }, false, key);
      else if (value !== false && value !== null) {
        issues.push({ path: key, problem: 'must be true or false' });
      }
    } else if (key === 'consent') {
      keys.push(key);
      readConsentObject(value, add, issues);
    }
  }
  return { changes, issues, keys };
}

function readConsentObject(
  value: unknown,
  add: (target: ConsentTarget, value: unknown, path: string) => void,
  issues: ErrorDetail[],
): void {
  if (value === null) return;
  if (!isRecord(value)) {
    issues.push({ path: 'consent', problem: 'must be an object' });
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    const path = `consent.${key}`;
    if (!CONSENT_OBJECT_KEYS.has(key)) {
      issues.push({
        path,
        problem: `unknown key; expected one of ${[...CONSENT_OBJECT_KEYS].join(', ')}`,
      });
    } else if (key === 'topics') {
      if (inner === null) continue;
      if (!isRecord(inner)) {
        issues.push({ path, problem: 'must be an object of topic: state' });
        continue;
      }
      for (const [topic, state] of Object.entries(inner)) {
        const name = Topic.safeParse(topic);
        if (name.success) add({ kind: 'topic', topic: name.data }, state, `${path}.${topic}`);
        else
          issues.push({
            path: `${path}.${topic}`,
            problem: `topic ${name.error.issues[0]!.message}`,
          });
      }
    } else if (key === PERSONALIZATION) {
      add({ kind: 'personalization' }, inner, path);
    } else {
      add({ kind: 'channel', channel: ConsentChannel.parse(key) }, inner, path);
    }
  }
}
