import {
  emptyGroup,
  emptyRow,
  isGroup,
  labelOf,
  MAX_GROUP_DEPTH,
  OPERATORS,
  type Group,
  type Item,
  type Row,
} from './rule-builder';

type Change = (path: readonly number[], f: (item: Item) => Item | null) => void;

/**
 * One group of the rule: its join, its items (conditions and groups) and the buttons
 * that add to it. The top group is the rule itself and keeps the page's first labels
 * ("Match", "Add a condition"); nested ones are named by their place ("Group 2").
 */
export function GroupEditor({
  group,
  path,
  onChange,
}: {
  group: Group;
  path: readonly number[];
  onChange: Change;
}) {
  const top = path.length === 0;
  const name = top ? '' : ` to group ${labelOf(path)}`;
  const id = `group-${path.join('-') || 'top'}`;
  const add = (item: Item) =>
    onChange(path, (g) => ({ ...(g as Group), items: [...(g as Group).items, item] }));
  const body = (
    <>
      <label htmlFor={`${id}-join`}>{top ? 'Match' : `Group ${labelOf(path)} matches`}</label>
      <select
        id={`${id}-join`}
        value={group.join}
        onChange={(e) =>
          onChange(path, (g) => ({ ...(g as Group), join: e.target.value as Group['join'] }))
        }
      >
        <option value="all">all of these</option>
        <option value="any">any of these</option>
      </select>
      {top ? null : (
        <label>
          <input
            type="checkbox"
            checked={group.negate}
            onChange={(e) => onChange(path, (g) => ({ ...g, negate: e.target.checked }))}
          />{' '}
          not (nobody in group {labelOf(path)})
        </label>
      )}
      {group.items.map((item, i) => {
        const at = [...path, i];
        const remove = top && group.items.length === 1 ? undefined : () => onChange(at, () => null);
        return isGroup(item) ? (
          <div key={i} className="rule-group">
            <GroupEditor group={item} path={at} onChange={onChange} />
            <button type="button" onClick={() => onChange(at, () => null)}>
              Remove group {labelOf(at)}
            </button>
          </div>
        ) : (
          <RowEditor
            key={i}
            label={labelOf(at)}
            row={item}
            onChange={(c) => onChange(at, (r) => ({ ...(r as Row), ...c }))}
            onRemove={remove}
          />
        );
      })}
      <button type="button" onClick={() => add(emptyRow())}>
        Add a condition{name}
      </button>
      {path.length < MAX_GROUP_DEPTH ? (
        <button type="button" onClick={() => add(emptyGroup())}>
          Add a group{name}
        </button>
      ) : null}
    </>
  );
  if (top) return body;
  return (
    <fieldset role="group" aria-label={`Group ${labelOf(path)}`}>
      <legend>Group {labelOf(path)}</legend>
      {body}
    </fieldset>
  );
}

function RowEditor({
  label,
  row,
  onChange,
  onRemove,
}: {
  label: string;
  row: Row;
  onChange: (change: Partial<Row>) => void;
  onRemove: (() => void) | undefined;
}) {
  const id = (field: string) => `row-${label.replace(/\./g, '-')}-${field}`;
  return (
    <div className="rule-row" role="group" aria-label={`Condition ${label}`}>
      <label htmlFor={id('kind')}>Condition {label} on</label>
      <select
        id={id('kind')}
        value={row.kind}
        onChange={(e) => onChange({ kind: e.target.value as Row['kind'] })}
      >
        <option value="trait">a trait</option>
        <option value="computed">a computed trait</option>
        <option value="event">an event</option>
        <option value="json">JSON (segment, where, first, last…)</option>
      </select>
      {row.kind === 'json' ? (
        <>
          <label htmlFor={id('json')}>Condition as JSON</label>
          <textarea
            id={id('json')}
            rows={3}
            cols={50}
            value={row.json}
            onChange={(e) => onChange({ json: e.target.value })}
          />
        </>
      ) : (
        <>
          <label htmlFor={id('name')}>{row.kind === 'event' ? 'Event name' : 'Trait path'}</label>
          <input
            id={id('name')}
            required
            value={row.name}
            onChange={(e) => onChange({ name: e.target.value })}
          />
        </>
      )}
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
      ) : row.kind === 'json' ? null : (
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
          Remove condition {label}
        </button>
      ) : null}
    </div>
  );
}
