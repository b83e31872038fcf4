import { useEffect, useState, type SyntheticEvent } from 'react';
import { api, enc } from '../api';
import { Link, navigate } from '../router';
import { ErrorBox, formatNumber, messageOf } from '../ui';
import { emptyRow, OPERATORS, problemsOf, toDefinition, type Row, type Rule } from './rule-builder';

const PREVIEW_DELAY_MS = 400;

/**
 * Builds a segment from rows of conditions; the JSON it writes and the number of people
 * it matches now (POST /v1/segments/preview) update while editing. Admins save it.
 */
export function SegmentBuilder() {
  const [name, setName] = useState('');
  const [rule, setRule] = useState<Rule>({ join: 'all', rows: [emptyRow()] });
  const [count, setCount] = useState<{ count: number; profiles: number }>();
  const [problem, setProblem] = useState<string>();
  const [saveError, setSaveError] = useState<string>();
  const definition = toDefinition(rule);
  const json = JSON.stringify(definition);
  const local = problemsOf(rule);
  const complete = local.length === 0;

  useEffect(() => {
    if (!complete) return;
    let current = true;
    const timer = setTimeout(() => {
      api<{ count: number; profiles: number }>('POST', '/v1/segments/preview', {
        definition: JSON.parse(json) as unknown,
        sample: 0,
      }).then(
        (r) => {
          if (!current) return;
          setCount(r);
          setProblem(undefined);
        },
        (err: unknown) => {
          if (!current) return;
          setCount(undefined);
          setProblem(messageOf(err));
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [json, complete]);

  const update = (i: number, change: Partial<Row>) =>
    setRule({ ...rule, rows: rule.rows.map((r, j) => (j === i ? { ...r, ...change } : r)) });
  const save = async (e: SyntheticEvent) => {
    e.preventDefault();
    setSaveError(undefined);
    try {
      const saved = await api<{ id: string }>('POST', '/v1/segments', { name, definition });
      navigate(`/segments/${enc(saved.id)}`);
    } catch (err) {
      setSaveError(messageOf(err));
    }
  };

  return (
    <section>
      <p>
        <Link href="/segments">← Segments</Link>
      </p>
      <h1>New segment</h1>
      <form onSubmit={(e) => void save(e)} className="builder">
        <label htmlFor="seg-name">Name</label>
        <input
          id="seg-name"
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <fieldset>
          <legend>People who match</legend>
          <label htmlFor="seg-join">Match</label>
          <select
            id="seg-join"
            value={rule.join}
            onChange={(e) => setRule({ ...rule, join: e.target.value as Rule['join'] })}
          >
            <option value="all">all of these</option>
            <option value="any">any of these</option>
          </select>
          {rule.rows.map((row, i) => (
            <RowEditor
              key={i}
              index={i}
              row={row}
              onChange={(c) => update(i, c)}
              onRemove={
                rule.rows.length > 1
                  ? () => setRule({ ...rule, rows: rule.rows.filter((_, j) => j !== i) })
                  : undefined
              }
            />
          ))}
          <button
            type="button"
            onClick={() => setRule({ ...rule, rows: [...rule.rows, emptyRow()] })}
          >
            Add a condition
          </button>
        </fieldset>
        <p aria-live="polite" data-testid="live-count">
          {!complete
            ? 'Fill in every condition to count the people it matches.'
            : count
              ? `${formatNumber(count.count)} of ${formatNumber(count.profiles)} people match now.`
              : 'Counting…'}
        </p>
        {local.map((p) => (
          <ErrorBox key={p} message={p} />
        ))}
        {complete && problem ? <ErrorBox message={problem} /> : null}
        <details>
          <summary>Rule as JSON</summary>
          <pre className="content" data-testid="rule-json">
            {JSON.stringify(definition, null, 2)}
          </pre>
        </details>
        {saveError ? <ErrorBox message={saveError} /> : null}
        <button type="submit" disabled={!complete}>
          Save segment
        </button>
      </form>
    </section>
  );
}

function RowEditor({
  index,
  row,
  onChange,
  onRemove,
}: {
  index: number;
  row: Row;
  onChange: (change: Partial<Row>) => void;
  onRemove: (() => void) | undefined;
}) {
  const id = (field: string) => `row-${index}-${field}`;
  const n = index + 1;
  return (
    <div className="rule-row" role="group" aria-label={`Condition ${n}`}>
      <label htmlFor={id('kind')}>Condition {n} on</label>
      <select
        id={id('kind')}
        value={row.kind}
        onChange={(e) => onChange({ kind: e.target.value as Row['kind'] })}
      >
        <option value="trait">a trait</option>
        <option value="computed">a computed trait</option>
        <option value="event">an event</option>
      </select>
      <label htmlFor={id('name')}>{row.kind === 'event' ? 'Event name' : 'Trait path'}</label>
      <input
        id={id('name')}
        required
        value={row.name}
        onChange={(e) => onChange({ name: e.target.value })}
      />
      {row.kind === 'event' ? (
        <>
          <label htmlFor={id('count')}>At least (times)</label>
          <input
            id={id('count')}
            type="number"
            min={1}
            value={row.atLeast}
            onChange={(e) => onChange({ atLeast: e.target.value })}
          />
          <label htmlFor={id('within')}>Within (e.g. P30D; blank: ever)</label>
          <input
            id={id('within')}
            value={row.within}
            onChange={(e) => onChange({ within: e.target.value })}
          />
        </>
      ) : (
        <>
          <label htmlFor={id('op')}>Test</label>
          <select
            id={id('op')}
            value={row.operator}
            onChange={(e) => onChange({ operator: e.target.value as Row['operator'] })}
          >
            {OPERATORS.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
          {row.operator === 'exists' ? null : (
            <>
              <label htmlFor={id('value')}>Value</label>
              <input
                id={id('value')}
                value={row.value}
                onChange={(e) => onChange({ value: e.target.value })}
              />
            </>
          )}
        </>
      )}
      <label>
        <input
          type="checkbox"
          checked={row.negate}
          onChange={(e) => onChange({ negate: e.target.checked })}
        />{' '}
        not
      </label>
      {onRemove ? (
        <button type="button" onClick={onRemove}>
          Remove condition {n}
        </button>
      ) : null}
    </div>
  );
}
