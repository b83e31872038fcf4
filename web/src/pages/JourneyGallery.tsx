import { useState, type SyntheticEvent } from 'react';
import { api, ApiError, enc } from '../api';
import { navigate } from '../router';
import { ErrorBox, messageOf, Status, useLoad } from '../ui';
import { fieldsOf, paramsOf, type ParamSchema } from './recipe-form';

interface Recipe {
  id: string;
  name: string;
  description: string;
  params: ParamSchema;
}

/**
 * The ready-made journeys: each recipe with a form for its parameters. Creating one makes
 * a draft (`activate: false`) and opens it, to check, simulate and activate from there.
 */
export function JourneyGallery() {
  const state = useLoad(
    () => api<{ recipes: Recipe[] }>('GET', '/v1/journey-recipes'),
    'journey-recipes',
  );
  return (
    <section aria-labelledby="gallery-title">
      <h2 id="gallery-title">Start from a recipe</h2>
      <Status state={state}>
        {({ recipes }) => (
          <div className="gallery">
            {recipes.map((r) => (
              <article key={r.id} aria-labelledby={`recipe-${r.id}`}>
                <h3 id={`recipe-${r.id}`}>{r.name}</h3>
                <p>{r.description}</p>
                <details>
                  <summary>Use {r.name}</summary>
                  <RecipeForm recipe={r} />
                </details>
              </article>
            ))}
          </div>
        )}
      </Status>
    </section>
  );
}

function RecipeForm({ recipe }: { recipe: Recipe }) {
  const fields = fieldsOf(recipe.params);
  const [values, setValues] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<{ field: string; problem: string }[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = (name: string) => `recipe-${recipe.id}-${name}`;
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    const { params, problems: local } = paramsOf(fields, values);
    setProblems(local);
    setError(undefined);
    if (local.length > 0) return;
    setBusy(true);
    try {
      const created = await api<{ id: string }>('POST', '/v1/journeys', {
        recipe: recipe.id,
        params,
        activate: false,
      });
      navigate(`/journeys/${enc(created.id)}`);
    } catch (err) {
      if (err instanceof ApiError)
        setProblems(
          err.details.map((d) => ({
            field: d.path.replace(/^(body\.)?params\.?/, ''),
            problem: d.problem,
          })),
        );
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="builder">
      {fields.map((f) => {
        const value = values[f.name] ?? f.initial;
        const set = (v: string) => setValues({ ...values, [f.name]: v });
        const mine = problems.filter((p) => p.field === f.name || p.field.startsWith(`${f.name}.`));
        return (
          <div key={f.name}>
            <label htmlFor={id(f.name)}>{f.label}</label>
            {f.input === 'select' ? (
              <select id={id(f.name)} value={value} onChange={(e) => set(e.target.value)}>
                {f.initial === '' ? <option value="">(default)</option> : null}
                {f.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : f.input === 'checkbox' ? (
              <input
                id={id(f.name)}
                type="checkbox"
                checked={value === 'true'}
                onChange={(e) => set(String(e.target.checked))}
              />
            ) : f.input === 'json' ? (
              <textarea
                id={id(f.name)}
                rows={Math.min(8, value.split('\n').length + 1)}
                value={value}
                onChange={(e) => set(e.target.value)}
              />
            ) : (
              <input
                id={id(f.name)}
                type={f.input}
                value={value}
                required={f.required}
                {...(f.min === undefined ? {} : { min: f.min })}
                {...(f.max === undefined ? {} : { max: f.max })}
                onChange={(e) => set(e.target.value)}
              />
            )}
            {mine.map((p) => (
              <p key={p.problem} className="field-error" role="alert">
                {p.field}: {p.problem}
              </p>
            ))}
          </div>
        );
      })}
      {error ? <ErrorBox message={error} /> : null}
      <button type="submit" disabled={busy}>
        Create a draft from {recipe.name}
      </button>
    </form>
  );
}
