import { useEffect, useMemo, useState } from 'react';
import {
  applyNodeChanges,
  Background,
  Controls,
  ReactFlow,
  type Connection,
  type Edge,
  type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './editor.css';
import { api, ApiError, enc } from '../api';
import { ErrorBox, messageOf } from '../ui';
import type { JourneyStats } from './Journey';
import type { Journey } from './Journeys';
import {
  asDefinition,
  connect,
  insertStep,
  problemsByStep,
  removeStep,
  slotsOf,
  STEP_KINDS,
  type Definition,
  type Problem,
  type StepKind,
} from './journey-model';
import { layoutSteps, type Point } from './journey-layout';
import { SimulationTable, type Simulation } from './SimulationTable';
import { StepNode, type StepFlowNode } from './StepNode';
import { StepPanel } from './StepPanel';

const NODE_TYPES = { step: StepNode };

/**
 * The journey as an editable graph: add, connect, rename and remove steps, edit the
 * selected step in the side panel, save as a new version (PUT; the API's problems land
 * on the step and field they name), and simulate the draft on logged events before it
 * goes live. Read-only sessions see the same graph and may simulate.
 */
export function JourneyEditor({
  journey,
  stats,
  canChange,
  onSaved,
}: {
  journey: Journey;
  stats: JourneyStats | undefined;
  canChange: boolean;
  onSaved: () => void;
}) {
  const original = useMemo(() => asDefinition(journey.definition), [journey.definition]);
  const [def, setDef] = useState<Definition | null>(original);
  useEffect(() => setDef(original), [original]);
  const [selected, setSelected] = useState<string | null>(null);
  const [placed, setPlaced] = useState<Map<string, Point>>(new Map());
  const [problems, setProblems] = useState<Problem[]>([]);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [sim, setSim] = useState<Simulation>();
  const [addKind, setAddKind] = useState<StepKind>('send');

  const positions = useMemo(
    () => (def ? layoutSteps(def, placed) : new Map<string, Point>()),
    [def, placed],
  );
  const live = useMemo(
    () => new Map((stats?.steps ?? []).map((s) => [s.stepId, s.treated])),
    [stats],
  );
  const invalid = useMemo(() => new Set(problems.map((p) => p.stepId)), [problems]);
  const base: StepFlowNode[] = useMemo(
    () =>
      (def?.steps ?? []).map((s) => ({
        id: s.id,
        type: 'step',
        position: positions.get(s.id) ?? { x: 0, y: 0 },
        selected: s.id === selected,
        data: {
          stepId: s.id,
          type: s.type,
          name: typeof s.name === 'string' ? s.name : undefined,
          slots: slotsOf(s),
          entered: live.get(s.id)?.entered,
          waiting: live.get(s.id)?.waiting,
          simulated: sim ? (sim.steps[s.id]?.entered ?? 0) : undefined,
          invalid: invalid.has(s.id),
          selected: s.id === selected,
          isStart: def?.start === s.id,
        },
      })),
    [def, positions, live, sim, invalid, selected],
  );
  // React Flow measures each node and hands the sizes back as changes; they are kept
  // across rebuilds from the definition, or edges and fitView would have nothing to use.
  const [nodes, setNodes] = useState<StepFlowNode[]>(base);
  useEffect(
    () =>
      setNodes((prev) => {
        const measured = new Map(prev.map((n) => [n.id, n.measured]));
        return base.map((n) => {
          const m = measured.get(n.id);
          return m ? { ...n, measured: m } : n;
        });
      }),
    [base],
  );
  const edges: Edge[] = useMemo(() => {
    const ids = new Set(def?.steps.map((s) => s.id));
    return (def?.steps ?? []).flatMap((s) =>
      slotsOf(s)
        .filter((slot) => ids.has(slot.to))
        .map((slot) => ({
          id: `${s.id}:${slot.key}`,
          source: s.id,
          sourceHandle: slot.key,
          target: slot.to,
          ...(slot.label === 'next' ? {} : { label: slot.label }),
        })),
    );
  }, [def]);

  if (!def) return <p className="muted">This journey has no steps to draw.</p>;
  const dirty = JSON.stringify(def) !== JSON.stringify(original);
  const change = (next: Definition) => {
    setDef(next);
    setNotice(undefined);
  };
  const onNodesChange = (changes: NodeChange<StepFlowNode>[]) => {
    // Removals go through onNodesDelete (the definition), selection through clicks.
    const kept = changes.filter((c) => c.type === 'dimensions' || c.type === 'position');
    setNodes((nds) => applyNodeChanges(kept, nds));
    const moved = changes.filter((c) => c.type === 'position' && c.position);
    if (moved.length === 0) return;
    setPlaced((p) => {
      const next = new Map(p);
      for (const c of moved) if (c.type === 'position' && c.position) next.set(c.id, c.position);
      return next;
    });
  };
  const onConnect = (c: Connection) => {
    if (c.sourceHandle) change(connect(def, c.source, c.sourceHandle, c.target));
  };
  const add = () => {
    const { def: next, id } = insertStep(def, addKind, selected);
    change(next);
    setSelected(id);
  };
  const failed = (err: unknown, sent: Definition) => {
    if (err instanceof ApiError && err.details.length > 0) {
      const found = problemsByStep(sent, err.details);
      setProblems(found);
      const first = found.find((p) => p.stepId !== null);
      setSelected(first ? first.stepId : null);
    }
    setError(messageOf(err));
  };
  const save = async () => {
    setBusy(true);
    setError(undefined);
    const sent = def;
    try {
      const saved = await api<Journey>('PUT', `/v1/journeys/${enc(journey.id)}`, {
        definition: sent,
      });
      setProblems([]);
      setNotice(`Saved as version ${saved.version}.`);
      onSaved();
    } catch (err) {
      failed(err, sent);
    } finally {
      setBusy(false);
    }
  };
  const simulate = async () => {
    setBusy(true);
    setError(undefined);
    const sent = def;
    try {
      setSim(
        await api<Simulation>('POST', `/v1/journeys/${enc(journey.id)}/simulate`, {
          definition: sent,
        }),
      );
      setProblems([]);
    } catch (err) {
      setSim(undefined);
      failed(err, sent);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="actions" role="toolbar" aria-label="Journey editor">
        {canChange ? (
          <>
            <label htmlFor="add-kind">New step</label>
            <select
              id="add-kind"
              value={addKind}
              onChange={(e) => setAddKind(e.target.value as StepKind)}
            >
              {STEP_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
            <button type="button" onClick={add}>
              {selected ? `Add after ${selected}` : 'Add step'}
            </button>
            <button type="button" disabled={busy || !dirty} onClick={() => void save()}>
              Save as a new version
            </button>
            <button type="button" disabled={!dirty} onClick={() => change(original ?? def)}>
              Discard changes
            </button>
          </>
        ) : null}
        <button type="button" disabled={busy} onClick={() => void simulate()}>
          Simulate the last 30 days
        </button>
      </div>
      <p aria-live="polite" data-testid="editor-status">
        {notice ?? (dirty ? 'Unsaved changes.' : `Version ${journey.version}, saved.`)}
      </p>
      {error ? <ErrorBox message={error} /> : null}
      <div className="journey-editor">
        <div className="graph" aria-label="Journey graph (the table lists the same steps)">
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={NODE_TYPES}
            fitView
            nodesDraggable
            nodesConnectable={canChange}
            edgesFocusable={canChange}
            deleteKeyCode={canChange ? ['Delete', 'Backspace'] : null}
            onNodesChange={onNodesChange}
            onNodeClick={(_, node) => setSelected(node.id)}
            onPaneClick={() => setSelected(null)}
            onConnect={onConnect}
            onNodesDelete={(gone) => {
              change(gone.reduce((d, n) => removeStep(d, n.id), def));
              setSelected(null);
            }}
            onEdgesDelete={(gone) =>
              change(
                gone.reduce(
                  (d, e) => (e.sourceHandle ? connect(d, e.source, e.sourceHandle, '') : d),
                  def,
                ),
              )
            }
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls showInteractive={false} />
          </ReactFlow>
        </div>
        <StepPanel
          def={def}
          selected={selected}
          problems={problems}
          canChange={canChange}
          onChange={change}
          onSelect={setSelected}
        />
      </div>
      {sim ? <SimulationTable sim={sim} order={def.steps.map((s) => s.id)} /> : null}
    </>
  );
}
