import { useState, type SyntheticEvent } from 'react';
import { api, qs } from '../api';
import { navigate, useLocation } from '../router';
import { Status, useLoad } from '../ui';
import { MessageList, type Message } from './MessageList';

const STATUSES = [
  'queued',
  'sending',
  'retry',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'bounced',
  'failed',
  'dead',
  'skipped',
  'capped',
  'suppressed',
];

/** The message log, newest first, filtered by status, journey or person. */
export function Messages({ canChange }: { canChange: boolean }) {
  const { search } = useLocation();
  const filters = {
    status: search.get('status') ?? '',
    journeyId: search.get('journeyId') ?? '',
    profileId: search.get('profileId') ?? '',
  };
  const [draft, setDraft] = useState(filters);
  const query = qs({ ...filters, limit: 100 });
  const state = useLoad(
    () => api<{ messages: Message[]; nextCursor: string | null }>('GET', `/v1/messages${query}`),
    query,
  );
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    navigate(`/messages${qs(draft)}`);
  };
  return (
    <section>
      <h1>Messages</h1>
      <form onSubmit={submit} className="inline" aria-label="Filter messages">
        <label htmlFor="m-status">Status</label>
        <select
          id="m-status"
          value={draft.status}
          onChange={(e) => setDraft({ ...draft, status: e.target.value })}
        >
          <option value="">any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label htmlFor="m-journey">Journey id</label>
        <input
          id="m-journey"
          value={draft.journeyId}
          onChange={(e) => setDraft({ ...draft, journeyId: e.target.value })}
        />
        <label htmlFor="m-profile">Profile id</label>
        <input
          id="m-profile"
          value={draft.profileId}
          onChange={(e) => setDraft({ ...draft, profileId: e.target.value })}
        />
        <button type="submit">Filter</button>
      </form>
      <Status state={state}>
        {({ messages, nextCursor }) => (
          <>
            <MessageList messages={messages} canRender={canChange} />
            {nextCursor ? <p className="muted">Showing the newest 100.</p> : null}
          </>
        )}
      </Status>
    </section>
  );
}
