import { useState } from 'react';
import { api, enc } from '../api';
import { ErrorBox, messageOf } from '../ui';

/** Activate or pause a journey; shown only to admin sessions (the API refuses read keys). */
export function JourneyActions({
  id,
  name,
  status,
  onChanged,
}: {
  id: string;
  name: string;
  status: string;
  onChanged: () => void;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const act = async (action: 'activate' | 'pause') => {
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', `/v1/journeys/${enc(id)}/${action}`);
      onChanged();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="actions">
      {status !== 'active' && status !== 'archived' ? (
        <button type="button" disabled={busy} onClick={() => void act('activate')}>
          Activate<span className="visually-hidden"> {name}</span>
        </button>
      ) : null}
      {status === 'active' ? (
        <button type="button" disabled={busy} onClick={() => void act('pause')}>
          Pause<span className="visually-hidden"> {name}</span>
        </button>
      ) : null}
      {error ? <ErrorBox message={error} /> : null}
    </span>
  );
}
