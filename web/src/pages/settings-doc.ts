/** The parts of the workspace settings document (GET/PUT /v1/admin/settings) this page edits. */
export type Mode = 'opt_in' | 'opt_out';

export interface Cap {
  channel: string;
  max: number;
  per: string;
}

export interface SettingsDoc {
  email: {
    from: string | null;
    fromName: string | null;
    replyTo: string | null;
    unsubscribeMailto: string | null;
  };
  delivery: {
    caps: Cap[];
    quietHours: { start: string; end: string } | null;
    quietMode: 'defer' | 'drop';
    bestHour: number;
  };
  consent: {
    channels: Record<string, Mode>;
    topics: Mode;
    topicModes: Record<string, Mode>;
    personalization: Mode;
    transactional: 'ignore_consent' | 'respect_channel_denial';
  };
  /** Sections edited elsewhere (brand, identity, privacy...) go back as they came. */
  [section: string]: unknown;
}

export const CONSENT_CHANNELS = ['email', 'push', 'sms', 'webhook', 'in_app'] as const;

/** A text box's value for a nullable setting, and back: empty means "not set". */
export const orEmpty = (v: string | null | undefined): string => v ?? '';
export const orNull = (v: string): string | null => (v.trim() === '' ? null : v.trim());
