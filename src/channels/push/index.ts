export { VapidConfig } from './vapid.js';
export { PushSubscription } from './subscription.js';
export {
  PushSender,
  MAX_PUSH_PAYLOAD_BYTES,
  type PushOptions,
  type PushResult,
  type PushSenderOptions,
} from './sender.js';
