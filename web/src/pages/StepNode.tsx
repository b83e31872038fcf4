import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { Slot } from './journey-model';

export interface StepNodeData extends Record<string, unknown> {
  stepId: string;
  type: string;
  name: string | undefined;
  slots: Slot[];
  /** Live counts of the saved version: people who entered, people waiting now. */
  entered: number | undefined;
  waiting: number | undefined;
  /** From the last simulation, when there is one. */
  simulated: number | undefined;
  invalid: boolean;
  selected: boolean;
  isStart: boolean;
}
export type StepFlowNode = Node<StepNodeData, 'step'>;

/**
 * One step on the canvas: its id, kind and counts, a handle on top for what comes in and
 * one at the bottom per slot (next, each case, each arm…), named by the slot.
 */
export function StepNode({ data }: NodeProps<StepFlowNode>) {
  const n = data.slots.length;
  const classes = ['step-node', data.selected ? 'selected' : '', data.invalid ? 'invalid' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} data-step={data.stepId}>
      <Handle type="target" position={Position.Top} />
      <div>
        <strong>{data.stepId}</strong> <span className="muted">({data.type})</span>
        {data.isStart ? ' · start' : ''}
      </div>
      {data.name ? <div className="muted">{data.name}</div> : null}
      <div className="counts" data-testid={`live-${data.stepId}`}>
        {data.entered ?? 0} entered · {data.waiting ?? 0} waiting
      </div>
      {data.simulated === undefined ? null : (
        <div className="simulated" data-testid={`simulated-${data.stepId}`}>
          simulated: {data.simulated} entered
        </div>
      )}
      {data.invalid ? <div className="field-error">has a problem: select it</div> : null}
      {n > 0 ? (
        <div className="slots">
          {data.slots.map((s) => (
            <span key={s.key}>{s.label}</span>
          ))}
        </div>
      ) : null}
      {data.slots.map((s, i) => (
        <Handle
          key={s.key}
          id={s.key}
          type="source"
          position={Position.Bottom}
          style={{ left: `${((i + 1) * 100) / (n + 1)}%` }}
        />
      ))}
    </div>
  );
}
