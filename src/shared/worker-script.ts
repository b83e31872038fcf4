/** Where tsx's ESM API lives, resolved from this file when the runtime can. */
function tsxApi(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return 'tsx/esm/api';
  }
}

/** What `new Worker(script, { eval })` needs to start a module. */
export interface WorkerScript {
  script: string | URL;
  eval: boolean;
}

/**
 * How to start a worker thread on the module `name` (without extension) that sits beside
 * the caller (`base` = the caller's `import.meta.url`): the compiled `.js` when running
 * from `dist`, or the `.ts` source under tsx or vitest. From sources, the worker first
 * registers tsx's loader in its own thread: Node 20 does not apply `--import tsx` hooks
 * to a worker's entry module.
 * @example
 * const { script, eval: isEval } = workerScript('train-worker-entry', import.meta.url);
 * const worker = new Worker(script, { eval: isEval, workerData });
 */
export function workerScript(name: string, base: string): WorkerScript {
  const source = base.endsWith('.ts');
  const entry = new URL(`./${name}.${source ? 'ts' : 'js'}`, base);
  if (!source) return { script: entry, eval: false };
  return {
    script:
      `import(${JSON.stringify(tsxApi())})` +
      `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`,
    eval: true,
  };
}
