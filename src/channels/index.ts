// Channels: message templates, e-mail over SMTP, web push, signed webhooks, retries,
// delivery policies (caps, quiet hours, send time) and engagement tracking. Templates,
// policies and tracking are pure; each sender wraps one transport and returns every
// outcome as a value; the render pool runs templates on worker threads under hard
// limits. The shell (outbox, workers, routes) composes them: docs/channels.md.
export * from './templates/index.js';
export * from './render/index.js';
export * from './email/index.js';
export * from './push/index.js';
export * from './webhook/index.js';
export * from './retry/index.js';
export * from './policy/index.js';
export * from './tracking/index.js';
export { htmlToText } from './html/index.js';
