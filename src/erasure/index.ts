export { ErasureJob, erasedSince, erasureEpoch, readJob } from './erasure-jobs.js';
export { ErasureRunner, type EraseStep } from './erasure-runner.js';
export { RetentionRunner, type RetentionStep } from './retention.js';
