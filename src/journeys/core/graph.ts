import { pushTo, type ErrorDetail } from '../../shared/index.js';
import type { JourneyDefinition } from './definition.js';
import { durationMs } from './duration.js';
import { edgesOf } from './steps.js';

const at = (...parts: (string | number)[]) => parts.map(String).join('.');

/**
 * The structural checks zod cannot do: unique ids, edges to known steps, every step
 * reachable from `start`, every step able to reach an exit, and no cycle without a wait
 * (such a cycle would spin forever inside one `advance`).
 */
export function graphProblems(def: JourneyDefinition): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const index = new Map<string, number>();
  def.steps.forEach((step, i) => {
    const first = index.get(step.id);
    if (first !== undefined) {
      problems.push({
        path: at('steps', i, 'id'),
        problem: `duplicate step id "${step.id}" (also steps.${first})`,
      });
    } else index.set(step.id, i);
  });
  if (!index.has(def.start)) {
    problems.push({ path: 'start', problem: `unknown step id "${def.start}"` });
  }
  const out = new Map<string, string[]>();
  def.steps.forEach((step, i) => {
    if (index.get(step.id) !== i) return;
    const targets: string[] = [];
    for (const edge of edgesOf(step)) {
      if (!index.has(edge.to)) {
        problems.push({
          path: at('steps', i, ...edge.path),
          problem: `unknown step id "${edge.to}"`,
        });
      } else targets.push(edge.to);
    }
    out.set(step.id, targets);
  });
  if (problems.length > 0) return problems;

  const reachable = new Set<string>([def.start]);
  const queue = [def.start];
  while (queue.length > 0) {
    for (const to of out.get(queue.pop()!) ?? []) {
      if (!reachable.has(to)) {
        reachable.add(to);
        queue.push(to);
      }
    }
  }
  def.steps.forEach((step, i) => {
    if (!reachable.has(step.id)) {
      problems.push({
        path: at('steps', i),
        problem: `step "${step.id}" is unreachable from start "${def.start}"`,
      });
    }
  });

  const exits = def.steps.filter((s) => s.type === 'exit').map((s) => s.id);
  if (exits.length === 0) {
    problems.push({ path: 'steps', problem: 'has no exit step: every journey must end in one' });
  } else {
    const incoming = new Map<string, string[]>();
    for (const [from, targets] of out) {
      for (const to of targets) pushTo(incoming, to, from);
    }
    const ending = new Set(exits);
    const back = [...exits];
    while (back.length > 0) {
      for (const from of incoming.get(back.pop()!) ?? []) {
        if (!ending.has(from)) {
          ending.add(from);
          back.push(from);
        }
      }
    }
    def.steps.forEach((step, i) => {
      if (reachable.has(step.id) && !ending.has(step.id)) {
        problems.push({
          path: at('steps', i),
          problem: `no path from step "${step.id}" reaches an exit step`,
        });
      }
    });
  }

  for (const cycle of waitlessCycles(def, out)) {
    problems.push({
      path: at('steps', index.get(cycle[0]!)!),
      problem: `steps ${[...cycle, cycle[0]].join(' -> ')} form a cycle without a wait that always pauses (a positive duration, an event or a time of day); a run would loop forever`,
    });
  }
  return problems;
}

/** Strongly connected components of the graph without wait steps that contain a cycle (Tarjan). */
function waitlessCycles(def: JourneyDefinition, out: Map<string, string[]>): string[][] {
  // Only a wait that always parks breaks a cycle: a zero duration or a weekday-only wait
  // on an allowed day passes straight through.
  const isWait = new Set(
    def.steps
      .filter(
        (s) =>
          s.type === 'wait' &&
          (s.event !== undefined ||
            s.until?.time !== undefined ||
            (s.duration !== undefined && durationMs(s.duration) > 0)),
      )
      .map((s) => s.id),
  );
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    order.set(v, order.size);
    low.set(v, order.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of out.get(v) ?? []) {
      if (isWait.has(w)) continue;
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) === order.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (out.get(v) ?? []).includes(v)) cycles.push(scc.reverse());
    }
  };
  for (const step of def.steps) {
    if (!isWait.has(step.id) && !order.has(step.id)) visit(step.id);
  }
  return cycles;
}
