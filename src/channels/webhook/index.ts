export {
  SIGNATURE_HEADER,
  DEFAULT_TOLERANCE_SECONDS,
  signWebhook,
  verifyWebhook,
  type WebhookVerification,
} from './signature.js';
export {
  WebhookSender,
  type WebhookRequest,
  type WebhookResult,
  type WebhookSenderOptions,
} from './sender.js';
