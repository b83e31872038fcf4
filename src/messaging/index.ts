export {
  MESSAGE_STATUSES,
  MessageStatus,
  MessageOut,
  MessageQuery,
  MessagePage,
  type OutgoingMessage,
} from './message.js';
export { enqueueMessages, recordStatus, listMessages } from './outbox.js';
export {
  OutboxSender,
  type ClaimedMessage,
  type Delivery,
  type Deliver,
  type SenderOptions,
} from './sender.js';
export { webhookChannel } from './webhook-channel.js';
