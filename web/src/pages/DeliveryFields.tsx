import { FieldProblem, problemsAt, TextField, type Problems } from '../form';
import { CONSENT_CHANNELS, type Cap, type SettingsDoc } from './settings-doc';

type Delivery = SettingsDoc['delivery'];

/** Frequency caps across journeys and quiet hours, in the recipient's time zone. */
export function DeliveryFields({
  delivery,
  onChange,
  problems,
}: {
  delivery: Delivery;
  onChange: (d: Delivery) => void;
  problems: Problems;
}) {
  const at = (path: string) => problemsAt(problems, path);
  const setCap = (i: number, c: Partial<Cap>) =>
    onChange({
      ...delivery,
      caps: delivery.caps.map((cap, j) => (j === i ? { ...cap, ...c } : cap)),
    });
  const quiet = delivery.quietHours;
  return (
    <>
      <fieldset>
        <legend>Frequency caps</legend>
        <p className="muted">
          The most messages one person gets on a channel within a window, across journeys.
        </p>
        {delivery.caps.length === 0 ? <p className="muted">No caps.</p> : null}
        {delivery.caps.map((cap, i) => {
          const n = i + 1;
          const id = (f: string) => `set-cap-${i}-${f}`;
          return (
            <div className="rule-row" role="group" aria-label={`Cap ${n}`} key={i}>
              <label htmlFor={id('channel')}>Cap {n} channel</label>
              <select
                id={id('channel')}
                value={cap.channel}
                onChange={(e) => setCap(i, { channel: e.target.value })}
              >
                {CONSENT_CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
              <TextField
                id={id('max')}
                label="At most (messages)"
                type="number"
                value={Number.isFinite(cap.max) ? String(cap.max) : ''}
                onChange={(v) => setCap(i, { max: v === '' ? Number.NaN : Number(v) })}
                problems={at(`delivery.caps.${i}.max`)}
              />
              <TextField
                id={id('per')}
                label="Per (ISO duration, e.g. P7D)"
                value={cap.per}
                onChange={(v) => setCap(i, { per: v })}
                problems={at(`delivery.caps.${i}.per`)}
              />
              <FieldProblem id={id('channel')} problems={at(`delivery.caps.${i}.channel`)} />
              <button
                type="button"
                onClick={() =>
                  onChange({ ...delivery, caps: delivery.caps.filter((_, j) => j !== i) })
                }
              >
                Remove cap {n}
              </button>
            </div>
          );
        })}
        <FieldProblem id="set-caps" problems={problems.byPath['delivery.caps'] ?? []} />
        <button
          type="button"
          onClick={() =>
            onChange({
              ...delivery,
              caps: [...delivery.caps, { channel: 'email', max: 1, per: 'P1D' }],
            })
          }
        >
          Add a cap
        </button>
      </fieldset>
      <fieldset>
        <legend>Quiet hours</legend>
        <label>
          <input
            type="checkbox"
            checked={quiet !== null}
            onChange={(e) =>
              onChange({
                ...delivery,
                quietHours: e.target.checked ? { start: '21:00', end: '08:00' } : null,
              })
            }
          />{' '}
          No messages during quiet hours (in each person's time zone)
        </label>
        {quiet ? (
          <div className="inline-fields">
            <TextField
              id="set-quiet-start"
              label="From"
              value={quiet.start}
              placeholder="21:00"
              onChange={(v) => onChange({ ...delivery, quietHours: { ...quiet, start: v } })}
              problems={at('delivery.quietHours.start')}
            />
            <TextField
              id="set-quiet-end"
              label="Until"
              value={quiet.end}
              placeholder="08:00"
              onChange={(v) => onChange({ ...delivery, quietHours: { ...quiet, end: v } })}
              problems={at('delivery.quietHours.end')}
            />
            <div className="field">
              <label htmlFor="set-quiet-mode">A message due in quiet hours is</label>
              <select
                id="set-quiet-mode"
                value={delivery.quietMode}
                onChange={(e) =>
                  onChange({ ...delivery, quietMode: e.target.value as Delivery['quietMode'] })
                }
              >
                <option value="defer">sent when they end</option>
                <option value="drop">dropped</option>
              </select>
            </div>
          </div>
        ) : null}
        <TextField
          id="set-best-hour"
          label="Send hour when a person's best hour is unknown (0–23)"
          type="number"
          value={Number.isFinite(delivery.bestHour) ? String(delivery.bestHour) : ''}
          onChange={(v) => onChange({ ...delivery, bestHour: v === '' ? Number.NaN : Number(v) })}
          problems={at('delivery.bestHour')}
        />
      </fieldset>
    </>
  );
}
