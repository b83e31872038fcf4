export { MessageQuery, MessagePage, type MessageOut, type OutgoingMessage } from './message.js';
export { enqueueMessages, listMessages, messageCountsByStatus } from './outbox.js';
export { OutboxSender, type Deliver } from './sender.js';
export { webhookChannel } from './webhook-channel.js';
export { loadConsents, recordConsent } from './consent-store.js';
export { ConsentCache } from './consent-cache.js';
export { consentStage } from './consent-stage.js';
export {
  requireTemplate,
  listTemplates,
  saveTemplate,
  ensureDefaultTemplates,
  missingTemplateProblem,
} from './templates-repo.js';
export { emailChannel, pushChannel, type SendDeps } from './send-channels.js';
export { withPreferredChannel } from './preferred-channel.js';
export { loadRecipient } from './person.js';
export { cartLink, completeItems, workspaceScope } from './message-scope.js';
export { sentMessagesBetween, type SentMessage } from './sent-messages.js';
export { SubscriptionInput, saveSubscription } from './push-subscriptions.js';
export { recordEngagement, type EngagementResult } from './tracking.js';
export { WorkspaceSettings, readSettings, writeSettings } from './workspace-settings.js';
export { emailNotReady } from './email-readiness.js';
export { assertTemplateSensitive, templateAttributeUses } from './sensitive-templates.js';
export {
  exportPersonMessaging,
  erasePersonMessages,
  erasePersonConsent,
  deleteMessagesBefore,
} from './personal-data.js';
export { retryFailedMessages, RETRYABLE_STATUSES, type RetryableStatus } from './retry-failed.js';
export { outboxBacklog } from './outbox-backlog.js';
