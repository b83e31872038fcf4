// Channels: templates, e-mail, web push, webhooks, delivery policies and engagement
// tracking. Cores are pure; the senders wrap one transport each and return outcomes as
// values. The shell (outbox, workers, routes) composes them.
export * from './templates/index.js';
export * from './tracking/index.js';
export { htmlToText } from './html/index.js';
export * from './webhook/index.js';
export * from './retry/index.js';
export * from './email/index.js';
export * from './push/index.js';
export * from './policy/index.js';
