import { useState, type SyntheticEvent, type ReactNode } from 'react';
import { api, ApiError, enc } from '../api';
import { navigate } from '../router';
import { ErrorBox, messageOf, Status, useLoad } from '../ui';
import { CHANNELS, OFFER_KINDS, type Offer } from './offer-types';

/** The form's fields as text, as typed; the API validates them and names what is wrong. */
interface Draft {
  id: string;
  name: string;
  kind: string;
  value: string;
  priority: string;
  channels: string[];
  consentTopic: string;
  validFrom: string;
  validUntil: string;
  capMax: string;
  capWithin: string;
  neverAfterRedeemed: boolean;
  budgetCount: string;
  budgetSpend: string;
  codes: boolean;
  eligibility: string;
  content: string;
}

/** Each form field and the API paths whose problems it shows (longest prefix wins). */
const FIELD_PATHS: Record<string, string> = {
  id: 'id',
  name: 'name',
  kind: 'kind',
  value: 'value',
  priority: 'priority',
  channels: 'channels',
  consentTopic: 'consentTopic',
  validFrom: 'validFrom',
  validUntil: 'validUntil',
  capMax: 'caps.perPerson.max',
  capWithin: 'caps.perPerson.within',
  neverAfterRedeemed: 'caps',
  budgetCount: 'budget.count',
  budgetSpend: 'budget.spend',
  codes: 'codes',
  eligibility: 'eligibility',
  content: 'content',
};

function fieldOf(path: string): string {
  let best = '';
  let field = '';
  for (const [f, p] of Object.entries(FIELD_PATHS))
    if ((path === p || path.startsWith(`${p}.`)) && p.length > best.length) {
      best = p;
      field = f;
    }
  return field;
}

function draftOf(o: Offer | undefined): Draft {
  return {
    id: o?.id ?? '',
    name: o?.name ?? '',
    kind: o?.kind ?? 'discount_code',
    value: String(o?.value ?? 0),
    priority: String(o?.priority ?? 0),
    channels: o?.channels ?? [],
    consentTopic: o?.consentTopic ?? '',
    validFrom: o?.validFrom ?? '',
    validUntil: o?.validUntil ?? '',
    capMax: o?.caps?.perPerson ? String(o.caps.perPerson.max) : '',
    capWithin: o?.caps?.perPerson?.within ?? '',
    neverAfterRedeemed: o?.caps?.neverAfterRedeemed ?? false,
    budgetCount: o?.budget?.count === undefined ? '' : String(o.budget.count),
    budgetSpend: o?.budget?.spend === undefined ? '' : String(o.budget.spend),
    codes: o?.codes ?? false,
    eligibility: o?.eligibility === undefined ? '' : JSON.stringify(o.eligibility, null, 2),
    content: JSON.stringify(o?.content ?? {}, null, 2),
  };
}

/** Numbers go as numbers when they read as one, else as typed, for the API to name. */
const num = (s: string): unknown => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);

/** The body for POST/PUT, keeping what the form does not edit (margin, content data). */
function bodyOf(d: Draft, before: Offer | undefined, creating: boolean): Record<string, unknown> {
  const json = (text: string, field: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      throw new FieldError(field, 'is not valid JSON');
    }
  };
  const body: Record<string, unknown> = {
    ...(creating ? { id: d.id } : {}),
    name: d.name,
    kind: d.kind,
    content: json(d.content || '{}', 'content'),
    value: num(d.value),
    priority: num(d.priority),
    codes: d.codes,
  };
  if (before?.margin !== undefined) body.margin = before.margin;
  if (d.eligibility.trim()) body.eligibility = json(d.eligibility, 'eligibility');
  if (d.channels.length > 0) body.channels = d.channels;
  if (d.consentTopic) body.consentTopic = d.consentTopic;
  if (d.validFrom) body.validFrom = d.validFrom;
  if (d.validUntil) body.validUntil = d.validUntil;
  const perPerson =
    d.capMax || d.capWithin ? { max: num(d.capMax), within: d.capWithin } : undefined;
  if (perPerson || d.neverAfterRedeemed)
    body.caps = { ...(perPerson ? { perPerson } : {}), neverAfterRedeemed: d.neverAfterRedeemed };
  if (d.budgetCount || d.budgetSpend)
    body.budget = {
      ...(d.budgetCount ? { count: num(d.budgetCount) } : {}),
      ...(d.budgetSpend ? { spend: num(d.budgetSpend) } : {}),
    };
  return body;
}

class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** Create (`id` undefined) or edit an offer; the API's problems show by their fields. */
export function OfferForm({ id }: { id?: string }) {
  const state = useLoad(
    () => (id ? api<Offer>('GET', `/v1/offers/${enc(id)}`) : Promise.resolve(null)),
    `offer-form:${id ?? ''}`,
  );
  return (
    <section>
      <h1>{id ? 'Edit offer' : 'New offer'}</h1>
      <Status state={state}>{(o) => <Form before={o ?? undefined} />}</Status>
    </section>
  );
}

function Form({ before }: { before: Offer | undefined }) {
  const creating = before === undefined;
  const [d, setD] = useState<Draft>(() => draftOf(before));
  const [problems, setProblems] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setProblems({});
    try {
      const body = bodyOf(d, before, creating);
      // Asked first, so a refused offer is a 200 listing problems, not a failed request.
      const check = await api<{ ok: boolean; problems: { path: string; problem: string }[] }>(
        'POST',
        '/v1/offers/validate',
        { offer: body, ...(before ? { id: before.id } : {}) },
      );
      if (!check.ok) throw new ApiError(400, 'invalid_request', 'Invalid offer', check.problems);
      const saved = creating
        ? await api<Offer>('POST', '/v1/offers', body)
        : await api<Offer>('PUT', `/v1/offers/${enc(before.id)}`, body);
      navigate(`/offers/${enc(saved.id)}`);
    } catch (err) {
      const byField: Record<string, string[]> = {};
      const rest: string[] = [];
      const details =
        err instanceof FieldError
          ? [{ path: FIELD_PATHS[err.field] ?? err.field, problem: err.problem }]
          : err instanceof ApiError
            ? err.details
            : [];
      for (const det of details) {
        const f = fieldOf(det.path);
        if (f)
          (byField[f] ??= []).push(
            det.path === FIELD_PATHS[f] ? det.problem : `${det.path}: ${det.problem}`,
          );
        else rest.push(`${det.path}: ${det.problem}`);
      }
      setProblems(byField);
      setError(
        details.length > 0 ? `The offer was not saved. ${rest.join(' ')}`.trim() : messageOf(err),
      );
    } finally {
      setBusy(false);
    }
  };

  const text = (k: keyof Draft, label: string, extra: { type?: string; hint?: string } = {}) => (
    <Field name={k} label={label} problems={problems[k]} hint={extra.hint}>
      <input
        id={`offer-${k}`}
        type={extra.type ?? 'text'}
        value={d[k] as string}
        onChange={(e) => set(k, e.target.value as never)}
        aria-invalid={problems[k] ? true : undefined}
        aria-describedby={problems[k] ? `offer-${k}-problem` : undefined}
      />
    </Field>
  );
  return (
    <form className="builder offer-form" onSubmit={(e) => void submit(e)} noValidate>
      {error ? <ErrorBox message={error} /> : null}
      {creating ? text('id', 'Id', { hint: 'letters, digits, _ . -' }) : null}
      {text('name', 'Name')}
      <Field name="kind" label="Kind" problems={problems.kind}>
        <select id="offer-kind" value={d.kind} onChange={(e) => set('kind', e.target.value)}>
          {OFFER_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </Field>
      {text('value', 'Value per decision')}
      {text('priority', 'Priority')}
      <fieldset>
        <legend>Channels (none: all)</legend>
        {CHANNELS.map((c) => (
          <label key={c}>
            <input
              type="checkbox"
              checked={d.channels.includes(c)}
              onChange={(e) =>
                set(
                  'channels',
                  e.target.checked ? [...d.channels, c] : d.channels.filter((x) => x !== c),
                )
              }
            />{' '}
            {c}
          </label>
        ))}
        <Problems name="channels" problems={problems.channels} />
      </fieldset>
      {text('consentTopic', 'Consent topic')}
      {text('validFrom', 'Valid from', { hint: 'ISO time, e.g. 2026-11-01T00:00:00Z' })}
      {text('validUntil', 'Valid until')}
      {text('capMax', 'At most (per person)')}
      {text('capWithin', 'Within (e.g. P30D)')}
      <label>
        <input
          type="checkbox"
          checked={d.neverAfterRedeemed}
          onChange={(e) => set('neverAfterRedeemed', e.target.checked)}
        />{' '}
        Never again once redeemed
      </label>
      {text('budgetCount', 'Budget: decisions')}
      {text('budgetSpend', 'Budget: spend')}
      <label>
        <input type="checkbox" checked={d.codes} onChange={(e) => set('codes', e.target.checked)} />{' '}
        Hand out a coupon code from the pool
      </label>
      <Field
        name="eligibility"
        label="Eligibility (rule JSON; blank: everyone)"
        problems={problems.eligibility}
      >
        <textarea
          id="offer-eligibility"
          rows={4}
          value={d.eligibility}
          onChange={(e) => set('eligibility', e.target.value)}
          aria-invalid={problems.eligibility ? true : undefined}
        />
      </Field>
      <Field name="content" label="Content per channel (JSON)" problems={problems.content}>
        <textarea
          id="offer-content"
          rows={5}
          value={d.content}
          onChange={(e) => set('content', e.target.value)}
          aria-invalid={problems.content ? true : undefined}
        />
      </Field>
      <p>
        <button type="submit" disabled={busy}>
          {creating ? 'Create offer' : 'Save offer'}
        </button>
      </p>
    </form>
  );
}

function Field(props: {
  name: string;
  label: string;
  problems: string[] | undefined;
  hint?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={`offer-${props.name}`}>{props.label}</label>
      {props.children}
      {props.hint ? <span className="muted">{props.hint}</span> : null}
      <Problems name={props.name} problems={props.problems} />
    </div>
  );
}

function Problems({ name, problems }: { name: string; problems: string[] | undefined }) {
  if (!problems?.length) return null;
  return (
    <span id={`offer-${name}-problem`} className="field-problem" data-testid={`problem-${name}`}>
      {problems.join('; ')}
    </span>
  );
}
