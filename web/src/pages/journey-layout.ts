import { slotsOf, type Definition } from './journey-model.js';

export interface Point {
  x: number;
  y: number;
}

/**
 * Where each step is drawn: top-down by distance from the start step, side by side within
 * a row; steps nothing reaches go in a last row. Positions the person dragged win.
 */
export function layoutSteps(
  def: Definition,
  placed: ReadonlyMap<string, Point>,
): Map<string, Point> {
  const depth = new Map<string, number>();
  const queue = def.start && def.steps.some((s) => s.id === def.start) ? [def.start] : [];
  if (queue[0]) depth.set(queue[0], 0);
  const byId = new Map(def.steps.map((s) => [s.id, s]));
  while (queue.length > 0) {
    const id = queue.shift()!;
    const step = byId.get(id);
    for (const slot of step ? slotsOf(step) : []) {
      if (slot.to && byId.has(slot.to) && !depth.has(slot.to)) {
        depth.set(slot.to, (depth.get(id) ?? 0) + 1);
        queue.push(slot.to);
      }
    }
  }
  const unreached = Math.max(-1, ...depth.values()) + 1;
  const perRow = new Map<number, number>();
  const out = new Map<string, Point>();
  for (const step of def.steps) {
    const row = depth.get(step.id) ?? unreached;
    const col = perRow.get(row) ?? 0;
    perRow.set(row, col + 1);
    out.set(step.id, placed.get(step.id) ?? { x: col * 240, y: row * 130 });
  }
  return out;
}
