import { useEffect, useState, type SyntheticEvent } from 'react';
import { api, enc } from '../api';
import { Link, navigate } from '../router';
import { ErrorBox, formatNumber, messageOf } from '../ui';
import { emptyRow, problemsOf, toDefinition, updateAt, type Rule } from './rule-builder';
import { fromDefinition } from './rule-parse';
import { GroupEditor } from './RuleEditor';
import './editor.css';
import type { Segment } from './Segments';

const PREVIEW_DELAY_MS = 400;

/**
 * Builds a segment from conditions and nested groups; the JSON it writes and the number
 * of people it matches now (POST /v1/segments/preview) update while editing. Admins save
 * it: a new segment, or with `id` a new version of that one (its rule loaded back into
 * the builder, whatever the rows cannot show kept as JSON).
 */
export function SegmentBuilder({ id }: { id?: string }) {
  const [name, setName] = useState('');
  const [rule, setRule] = useState<Rule>({
    kind: 'group',
    join: 'all',
    negate: false,
    items: [emptyRow()],
  });
  const [loadError, setLoadError] = useState<string>();
  const [count, setCount] = useState<{ count: number; profiles: number }>();
  const [problem, setProblem] = useState<string>();
  const [saveError, setSaveError] = useState<string>();
  const [pasted, setPasted] = useState('');
  const definition = toDefinition(rule);
  const json = JSON.stringify(definition);
  const local = problemsOf(rule);
  const complete = local.length === 0;

  useEffect(() => {
    if (!id) return;
    api<Segment>('GET', `/v1/segments/${enc(id)}`).then(
      (s) => {
        setName(s.name);
        setRule(fromDefinition(s.definition));
      },
      (err: unknown) => setLoadError(messageOf(err)),
    );
  }, [id]);

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

  const save = async (e: SyntheticEvent) => {
    e.preventDefault();
    setSaveError(undefined);
    try {
      const saved = id
        ? await api<{ id: string }>('PUT', `/v1/segments/${enc(id)}`, { name, definition })
        : await api<{ id: string }>('POST', '/v1/segments', { name, definition });
      navigate(`/segments/${enc(saved.id)}`);
    } catch (err) {
      setSaveError(messageOf(err));
    }
  };
  const loadPasted = () => {
    try {
      setRule(fromDefinition(JSON.parse(pasted)));
      setSaveError(undefined);
    } catch (err) {
      setSaveError(`The pasted rule is not JSON: ${messageOf(err)}`);
    }
  };

  return (
    <section>
      <p>
        <Link href={id ? `/segments/${enc(id)}` : '/segments'}>
          ← {id ? 'The segment' : 'Segments'}
        </Link>
      </p>
      <h1>{id ? `Edit ${name || 'segment'}` : 'New segment'}</h1>
      {loadError ? <ErrorBox message={loadError} /> : null}
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
          <GroupEditor
            group={rule}
            path={[]}
            onChange={(path, f) => setRule((r) => updateAt(r, path, f))}
          />
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
          <label htmlFor="seg-paste">Load a rule from JSON (paste it here)</label>
          <textarea
            id="seg-paste"
            rows={4}
            cols={60}
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
          />
          <button type="button" onClick={loadPasted} disabled={pasted.trim() === ''}>
            Load into the builder
          </button>
        </details>
        {saveError ? <ErrorBox message={saveError} /> : null}
        <button type="submit" disabled={!complete}>
          Save segment
        </button>
      </form>
    </section>
  );
}
