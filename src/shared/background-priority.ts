import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** Niceness of background threads: below request handling, above idle. */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's CPU priority, for a worker thread doing background work
 * (training) beside a main thread that answers requests and runs the pipeline: on a
 * small machine they compete for the same cores, and the main thread should win. Linux
 * applies setpriority() to one thread when given its thread id, read here from
 * /proc/thread-self. Never raises a priority (a process started nicer keeps its
 * niceness); elsewhere, or when not permitted, it does nothing.
 * @returns the thread id reniced, or null.
 */
export function lowerThreadPriority(nice = BACKGROUND_NICE): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return null;
    if (getPriority(tid) < nice) setPriority(tid, nice);
    return tid;
  } catch {
    return null;
  }
}
