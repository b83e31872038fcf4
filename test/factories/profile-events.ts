import {
  foldEvents,
  type ProfileEvent,
  type ProfileFacts,
} from '../../src/profiles/computed/index.js';

/**
 * Event factories for tests, examples and benchmarks: a track/identify/page event with
 * sensible empty defaults and a unique-enough messageId from a running counter per call site.
 */
export type EventOverrides = Partial<ProfileEvent> & { timestamp: number };

export function makeEvent(overrides: EventOverrides): ProfileEvent {
  return {
    messageId: `${overrides.type ?? 'track'}-${overrides.timestamp}-${overrides.event ?? ''}`,
    type: 'track',
    event: null,
    properties: {},
    traits: {},
    context: {},
    ...overrides,
  };
}

export const track = (
  event: string,
  timestamp: number,
  properties: Record<string, unknown> = {},
  extra: Partial<ProfileEvent> = {},
): ProfileEvent => makeEvent({ type: 'track', event, timestamp, properties, ...extra });

export const identify = (
  timestamp: number,
  traits: Record<string, unknown>,
  extra: Partial<ProfileEvent> = {},
): ProfileEvent => makeEvent({ type: 'identify', timestamp, traits, ...extra });

export const page = (
  timestamp: number,
  context: Record<string, unknown> = {},
  extra: Partial<ProfileEvent> = {},
): ProfileEvent => makeEvent({ type: 'page', timestamp, context, ...extra });

/** Facts of a list of events (each messageId applied once). */
export const factsOf = (events: readonly ProfileEvent[]): ProfileFacts => foldEvents(events);
