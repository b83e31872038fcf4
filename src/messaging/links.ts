import { signClickToken, signOpenToken } from '../channels/index.js';
import { signToken } from '../privacy/index.js';

const YEAR = 365 * 86_400_000;

/** The signed links a message carries: unsubscribe, preferences, click and open tracking. */
export class LinkMaker {
  constructor(
    private readonly publicUrl: string,
    private readonly secret: string,
  ) {}

  unsubscribe(
    workspaceId: string,
    profileId: string,
    channel: 'email' | 'push',
    messageId: string,
    now: number,
    topic?: string,
  ): string {
    const token = signToken(
      {
        workspaceId,
        profileId,
        purpose: 'unsubscribe',
        channel,
        messageId,
        exp: now + YEAR,
        ...(topic ? { topic } : {}),
      },
      this.secret,
    );
    return `${this.publicUrl}/unsubscribe/${token}`;
  }

  preferences(
    workspaceId: string,
    profileId: string,
    now: number,
    ttlMs = 30 * 86_400_000,
  ): string {
    return `${this.publicUrl}/preferences/${signToken({ workspaceId, profileId, purpose: 'preferences', exp: now + ttlMs }, this.secret)}`;
  }

  click(
    messageId: string,
    profileId: string,
    linkIndex: number,
    url: string,
    now: number,
    decisionIds: readonly string[] = [],
  ): string {
    const claims = { messageId, profileId, linkIndex, url, exp: now + YEAR };
    return `${this.publicUrl}/t/c/${signClickToken(decisionIds.length > 0 ? { ...claims, decisionIds } : claims, this.secret)}`;
  }

  open(messageId: string, profileId: string, now: number): string {
    return `${this.publicUrl}/t/o/${signOpenToken({ messageId, profileId, exp: now + YEAR }, this.secret)}`;
  }
}
