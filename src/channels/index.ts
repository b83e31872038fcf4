// Channels: message templates, e-mail over SMTP, web push, signed webhooks, retries,
// delivery policies (caps, quiet hours, send time) and engagement tracking. Templates,
// policies and tracking are pure; each sender wraps one transport and returns every
// outcome as a value; the render pool runs templates on worker threads under hard
// limits. The shell (outbox, workers, routes) composes them: docs/channels.md.
export {
  TemplateChannel,
  MessageTemplate,
  type MessageTemplateInput,
  type TemplateError,
  validateTemplate,
  compileTemplate,
  templateTraitUses,
  variableWarnings,
  type RenderResult,
  type RecommendRequest,
  type RecommendProvider,
  type RecommendedItem,
  type OfferProvider,
  type DecidedOffer,
  type BlockCall,
} from './templates/index.js';
export { RenderPool, type RenderPoolOptions, type TemplateRenderer } from './render/index.js';
export { EmailSender, checkSmtp, sendOnce, parseSmtpUrl, type SmtpConfig } from './email/index.js';
export { PushSubscription, PushSender } from './push/index.js';
export { WebhookSender } from './webhook/index.js';
export { RetryPolicy, DEFAULT_RETRY_POLICY, nextRetryAt } from './retry/index.js';
export {
  durationMs,
  FrequencyCap,
  applyFrequencyCaps,
  QuietHours,
  QuietMode,
  applyQuietHours,
  chooseSendTime,
} from './policy/index.js';
export {
  eventUrlWarnings,
  type TemplateWarning,
  HostPattern,
  hostMatcher,
  hostOf,
  type HostMatcher,
  rewriteLinks,
  linkHosts,
  signClickToken,
  verifyClickToken,
  signOpenToken,
  verifyOpenToken,
} from './tracking/index.js';
