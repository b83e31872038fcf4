export { ErasureJob, erasedSince, erasureEpoch, readJob } from './erasure-jobs.js';
export { ErasureRunner, type EraseContext, type EraseStep } from './erasure-runner.js';
export { RetentionRunner, type RetentionStep } from './retention.js';
