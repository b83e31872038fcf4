import { useMemo } from 'react';
import { Background, Controls, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { JourneyStats } from './Journey';

interface Step {
  id: string;
  type: string;
}

/**
 * The journey's steps as a read-only graph: each step a node with its entered count,
 * each reference from one step to another (next, branches, timeouts) an edge named by
 * the field that holds it. Laid out top-down by distance from the start step.
 */
export function JourneyGraph({
  definition,
  stats,
}: {
  definition: Record<string, unknown>;
  stats: JourneyStats;
}) {
  const { nodes, edges } = useMemo(() => layout(definition, stats), [definition, stats]);
  if (nodes.length === 0) return <p className="muted">This journey has no steps to draw.</p>;
  return (
    <div className="graph" aria-label="Journey graph (the table above lists the same steps)">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        fitView
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

function stepsOf(definition: Record<string, unknown>): Step[] {
  const steps = definition.steps;
  if (!Array.isArray(steps)) return [];
  return steps.filter(
    (s): s is Step => typeof s === 'object' && s !== null && typeof (s as Step).id === 'string',
  );
}

/** Every (field, step id) a step points to, found anywhere inside it. */
function targets(value: unknown, ids: Set<string>, field: string, out: [string, string][]): void {
  if (typeof value === 'string') {
    if (ids.has(value) && field !== 'id') out.push([field, value]);
  } else if (Array.isArray(value)) {
    for (const v of value) targets(v, ids, field, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) targets(v, ids, k, out);
  }
}

function layout(definition: Record<string, unknown>, stats: JourneyStats) {
  const steps = stepsOf(definition);
  const ids = new Set(steps.map((s) => s.id));
  const links = new Map<string, [string, string][]>();
  for (const step of steps) {
    const out: [string, string][] = [];
    for (const [k, v] of Object.entries(step)) if (k !== 'id') targets(v, ids, k, out);
    links.set(step.id, out);
  }
  const start = typeof definition.start === 'string' ? definition.start : steps[0]?.id;
  const depth = new Map<string, number>();
  const queue = start ? [start] : [];
  if (start) depth.set(start, 0);
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const [, to] of links.get(id) ?? []) {
      if (!depth.has(to)) {
        depth.set(to, (depth.get(id) ?? 0) + 1);
        queue.push(to);
      }
    }
  }
  const unreached = Math.max(0, ...depth.values()) + 1;
  const perRow = new Map<number, number>();
  const entered = new Map(stats.steps.map((s) => [s.stepId, s.treated.entered]));
  const nodes: Node[] = steps.map((s) => {
    const row = depth.get(s.id) ?? unreached;
    const col = perRow.get(row) ?? 0;
    perRow.set(row, col + 1);
    return {
      id: s.id,
      position: { x: col * 220, y: row * 110 },
      data: { label: `${s.id} (${s.type}): ${entered.get(s.id) ?? 0} entered` },
    };
  });
  const edges: Edge[] = [...links].flatMap(([from, out]) =>
    out.map(([field, to], i) => ({
      id: `${from}-${field}-${to}-${i}`,
      source: from,
      target: to,
      label: field === 'next' ? undefined : field,
    })),
  );
  return { nodes, edges };
}
