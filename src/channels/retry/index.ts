export { RetryPolicy, DEFAULT_RETRY_POLICY, nextRetryAt, parseRetryAfter } from './backoff.js';
