import { useEffect, useState } from 'react';
import {
  addOutcome,
  connect,
  removeStep,
  renameStep,
  setWaitMode,
  slotsOf,
  waitModeOf,
  type Definition,
  type Problem,
  type StepJson,
  type WaitMode,
} from './journey-model';

/** The fields of each form of a wait step. */
const WAIT_FIELDS: Record<WaitMode, string[]> = {
  duration: ['duration'],
  until: ['until'],
  event: ['event', 'timeout'],
};
import { Field, fieldKey, JOURNEY_FIELDS, problemsOf, STEP_FIELDS } from './step-fields';

/**
 * The side panel: the selected step's settings (its id, name, kind-specific fields and
 * where each of its slots leads), or the journey's own settings when no step is
 * selected. Each problem the API named is shown under the field it names.
 */
export function StepPanel({
  def,
  selected,
  problems,
  canChange,
  onChange,
  onSelect,
}: {
  def: Definition;
  selected: string | null;
  problems: readonly Problem[];
  canChange: boolean;
  onChange: (def: Definition) => void;
  onSelect: (id: string | null) => void;
}) {
  const step = selected === null ? undefined : def.steps.find((s) => s.id === selected);
  if (!step) {
    const mine = problems.filter((p) => p.stepId === null);
    const shown = new Set(JOURNEY_FIELDS.flatMap((s) => problemsOf(mine, s.path)));
    return (
      <aside className="step-panel" aria-label="Journey settings">
        <h3>Journey settings</h3>
        <p className="muted">Select a step on the graph to edit it.</p>
        <Unplaced problems={mine.filter((p) => !shown.has(p))} />
        <label htmlFor="journey-start">Start step</label>
        <select
          id="journey-start"
          value={def.start}
          disabled={!canChange}
          onChange={(e) => onChange({ ...def, start: e.target.value })}
        >
          {def.steps.map((s) => (
            <option key={s.id} value={s.id}>
              {s.id}
            </option>
          ))}
        </select>
        {JOURNEY_FIELDS.map((spec) => (
          <Field
            key={fieldKey(spec.path)}
            spec={spec}
            value={def}
            onChange={onChange}
            problems={mine}
            idPrefix="journey"
            disabled={!canChange}
          />
        ))}
      </aside>
    );
  }
  return (
    <StepSettings
      key={step.id}
      def={def}
      step={step}
      problems={problems.filter((p) => p.stepId === step.id)}
      canChange={canChange}
      onChange={onChange}
      onSelect={onSelect}
    />
  );
}

function StepSettings({
  def,
  step,
  problems,
  canChange,
  onChange,
  onSelect,
}: {
  def: Definition;
  step: StepJson;
  problems: readonly Problem[];
  canChange: boolean;
  onChange: (def: Definition) => void;
  onSelect: (id: string | null) => void;
}) {
  const [newId, setNewId] = useState(step.id);
  useEffect(() => setNewId(step.id), [step.id]);
  const mode = waitModeOf(step);
  const fields = (STEP_FIELDS[step.type] ?? []).filter(
    (spec) => step.type !== 'wait' || WAIT_FIELDS[mode].includes(String(spec.path[0])),
  );
  const slots = slotsOf(step);
  const setStep = (next: StepJson) =>
    onChange({ ...def, steps: def.steps.map((s) => (s.id === step.id ? next : s)) });
  const placed = new Set([
    ...fields.flatMap((s) => problemsOf(problems, s.path)),
    ...slots.flatMap((s) => problemsOf(problems, s.path)),
    ...problemsOf(problems, ['id']),
  ]);
  const taken = newId !== step.id && def.steps.some((s) => s.id === newId);
  const rename = () => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(newId) || taken) return;
    onChange(renameStep(def, step.id, newId));
    onSelect(newId);
  };
  return (
    <aside className="step-panel" aria-label={`Step ${step.id}`}>
      <h3>
        Step {step.id} ({step.type})
      </h3>
      <Unplaced problems={problems.filter((p) => !placed.has(p))} />
      <label htmlFor="step-id">Step id</label>
      <input
        id="step-id"
        value={newId}
        disabled={!canChange}
        onChange={(e) => setNewId(e.target.value)}
        onBlur={rename}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            rename();
          }
        }}
      />
      {taken ? <p className="field-error">Another step has this id.</p> : null}
      {problemsOf(problems, ['id']).map((p) => (
        <p key={p.problem} className="field-error" role="alert">
          id: {p.problem}
        </p>
      ))}
      <Field
        spec={{ path: ['name'], label: 'Step name', input: 'text' }}
        value={step}
        onChange={setStep}
        problems={problems}
        idPrefix="step"
        disabled={!canChange}
      />
      {step.type === 'wait' ? (
        <>
          <label htmlFor="wait-mode">Wait</label>
          <select
            id="wait-mode"
            value={mode}
            disabled={!canChange}
            onChange={(e) => setStep(setWaitMode(step, e.target.value as WaitMode))}
          >
            <option value="duration">for a time</option>
            <option value="until">until a local time or weekday</option>
            <option value="event">until an event, at most a timeout</option>
          </select>
        </>
      ) : null}
      {fields.map((spec) => (
        <Field
          key={fieldKey(spec.path)}
          spec={spec}
          value={step}
          onChange={setStep}
          problems={problems}
          idPrefix="step"
          disabled={!canChange}
        />
      ))}
      {canChange && (step.type === 'branch' || step.type === 'split') ? (
        <button type="button" onClick={() => setStep(addOutcome(step))}>
          {step.type === 'branch' ? 'Add a case' : 'Add an arm'}
        </button>
      ) : null}
      {slots.map((slot) => (
        <div key={slot.key}>
          <label htmlFor={`slot-${slot.key}`}>Then ({slot.label}) go to</label>
          <select
            id={`slot-${slot.key}`}
            value={slot.to}
            disabled={!canChange}
            onChange={(e) => onChange(connect(def, step.id, slot.key, e.target.value))}
          >
            <option value="">(not connected)</option>
            {def.steps
              .filter((s) => s.id !== step.id)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.id} ({s.type})
                </option>
              ))}
          </select>
          {problemsOf(problems, slot.path).map((p) => (
            <p key={p.problem} className="field-error" role="alert">
              {p.field}: {p.problem}
            </p>
          ))}
        </div>
      ))}
      {canChange ? (
        <p className="actions">
          <button type="button" onClick={() => onSelect(null)}>
            Journey settings
          </button>
          <button
            type="button"
            onClick={() => {
              onChange(removeStep(def, step.id));
              onSelect(null);
            }}
          >
            Remove step {step.id}
          </button>
        </p>
      ) : null}
    </aside>
  );
}

function Unplaced({ problems }: { problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="error" role="alert">
      {problems.map((p) => (
        <li key={`${p.field}:${p.problem}`}>
          {p.field ? `${p.field}: ` : ''}
          {p.problem}
        </li>
      ))}
    </ul>
  );
}
