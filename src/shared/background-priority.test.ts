import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICE } from './background-priority.js';

/** The nice value of a thread, from /proc/<pid>/task/<tid>/stat (field 19). */
function niceOf(tid: number): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe.runIf(process.platform === 'linux')('lowerThreadPriority', () => {
  it('renices the calling worker thread only, not the process', async () => {
    const before = niceOf(process.pid);
    const entry = new URL('./background-priority.ts', import.meta.url).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const worker = new Worker(
      `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); })
         .then((m) => require('node:worker_threads').parentPort.postMessage(m.lowerThreadPriority()));`,
      { eval: true },
    );
    const tid = await new Promise<number | null>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(tid).toBeGreaterThan(0);
    // A test run already nicer than that keeps its niceness.
    expect(niceOf(tid!)).toBe(Math.max(before, BACKGROUND_NICE));
    expect(niceOf(process.pid)).toBe(before);
    await worker.terminate();
  });
});
