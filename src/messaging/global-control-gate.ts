import type { MessageTemplate } from '../channels/index.js';
import type { Recipient } from './person.js';
import type { ClaimedSend, Delivery } from './sender.js';
import type { SendDeps } from './send-channels.js';
import type { WorkspaceSettings } from './workspace-settings.js';

/**
 * The global control group gets no marketing message: a template marked
 * `transactional: true` (a receipt, a password reset) still goes.
 */
export async function heldBack(
  deps: SendDeps,
  m: ClaimedSend,
  recipient: Recipient,
  settings: WorkspaceSettings,
  template: MessageTemplate,
  now: number,
): Promise<Delivery | null> {
  if (template.transactional || !deps.globalControl) return null;
  const percent = settings.measurement.globalControlPercent;
  const held = await deps.globalControl(m.workspaceId, recipient.profileId, percent, now);
  return held
    ? {
        kind: 'skipped',
        reason: 'global_control: the person is in the global control group (no marketing messages)',
      }
    : null;
}
