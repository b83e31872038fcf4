export {
  MESSAGE_STATUSES,
  MessageStatus,
  MessageOut,
  MessageQuery,
  MessagePage,
  type OutgoingMessage,
} from './message.js';
export { enqueueMessages, recordStatus, listMessages, messageCountsByStatus } from './outbox.js';
export {
  OutboxSender,
  type ClaimedMessage,
  type Delivery,
  type Deliver,
  type SenderOptions,
} from './sender.js';
export { webhookChannel } from './webhook-channel.js';
export {
  addressConsents,
  loadConsents,
  recordConsent,
  suppress,
  suppressionsFor,
} from './consent-store.js';
export { consentStage } from './consent-stage.js';
export {
  checkTemplate,
  getTemplate,
  requireTemplate,
  listTemplates,
  saveTemplate,
  ensureDefaultTemplates,
  templateForChannel,
  templateWarnings,
  type SavedTemplate,
  type StoredTemplate,
} from './templates-repo.js';
export { emailChannel, pushChannel, type SendDeps, type Emit } from './send-channels.js';
export { loadRecipient, type Recipient } from './person.js';
export { LinkMaker } from './links.js';
export {
  SubscriptionInput,
  saveSubscription,
  MAX_SUBSCRIPTIONS_PER_PERSON,
} from './push-subscriptions.js';
export { DEFAULT_TEMPLATES } from './default-templates.js';
export { recordEngagement, type EngagementDeps, type EngagementResult } from './tracking.js';
export {
  WorkspaceSettings,
  TrackingSettings,
  DeliverySettings,
  DEFAULT_SETTINGS,
  readSettings,
  writeSettings,
} from './workspace-settings.js';
