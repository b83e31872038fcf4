import { canonicalTimeZone } from '../../shared/index.js';
import type { DeviceFact, Touch } from './facts-schema.js';
import { field, labelField, objectField, type Json } from './fields.js';
import type { ProfileEvent } from './profile-event.js';
import { parseUserAgent } from './user-agent.js';

/** What one event tells about where and on what the person was. */
export interface EventContext {
  timezone: string | null;
  device: DeviceFact | null;
  os: string | null;
  browser: string | null;
  touch: Touch | null;
}

const MAX_URL = 2048;

function urlText(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_URL ? v : null;
}

function parseUrl(text: string | null): URL | null {
  if (text === null) return null;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

const UTM = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/**
 * The acquisition touch of an event: the campaign (`context.campaign`, else the `utm_*`
 * parameters of the page URL) and an external referrer (one whose host differs from the
 * page's). Internal navigation is not a touch.
 */
function touchOf(event: ProfileEvent): Touch | null {
  const { context, properties } = event;
  const page = objectField(context, 'page');
  const url = urlText(field(page, 'url')) ?? urlText(field(properties, 'url'));
  const referrerObject = objectField(context, 'referrer');
  const referrer =
    urlText(field(page, 'referrer')) ??
    urlText(field(properties, 'referrer')) ??
    urlText(field(referrerObject, 'url'));
  const campaign = objectField(context, 'campaign');
  const utm: Record<(typeof UTM)[number], string | null> = {
    source: labelField(campaign, 'source') ?? null,
    medium: labelField(campaign, 'medium') ?? null,
    campaign: labelField(campaign, 'name') ?? null,
    term: labelField(campaign, 'term') ?? null,
    content: labelField(campaign, 'content') ?? null,
  };
  const pageUrl = parseUrl(url);
  if (!campaign && pageUrl) {
    for (const key of UTM) {
      const v = pageUrl.searchParams.get(`utm_${key}`)?.trim();
      if (v && v.length <= 200) utm[key] = v;
    }
  }
  const referrerUrl = parseUrl(referrer);
  const external =
    referrer !== null && (!pageUrl || !referrerUrl || referrerUrl.host !== pageUrl.host);
  const hasCampaign = UTM.some((k) => utm[k] !== null);
  if (!hasCampaign && !external) return null;
  return {
    at: event.timestamp,
    m: event.messageId,
    ...utm,
    referrer: external ? referrer : null,
    url,
  };
}

function deviceOf(context: Json, uaType: string | null): DeviceFact | null {
  const device = objectField(context, 'device');
  const type = labelField(device, 'type') ?? uaType;
  const manufacturer = labelField(device, 'manufacturer') ?? null;
  const model = labelField(device, 'model') ?? null;
  if (type === null && manufacturer === null && model === null) return null;
  return { type, manufacturer, model };
}

/** Reads the context facts of one event; junk fields read as absent. */
export function eventContext(event: ProfileEvent): EventContext {
  const { context } = event;
  const tz = field(context, 'timezone');
  const ua = field(context, 'userAgent');
  const agent = typeof ua === 'string' ? parseUserAgent(ua) : null;
  return {
    timezone: typeof tz === 'string' ? canonicalTimeZone(tz) : null,
    device: deviceOf(context, agent?.deviceType ?? null),
    os: labelField(objectField(context, 'os'), 'name') ?? agent?.os ?? null,
    browser: agent?.browser ?? null,
    touch: touchOf(event),
  };
}
