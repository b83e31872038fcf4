import type { BlockCall } from '../channels/index.js';

/**
 * The decisions a render showed (`{% offer %}` blocks): their ids ride in the message's
 * tracked links, so a click rewards them.
 */
export function shownDecisions(blocks: readonly BlockCall[] | undefined): string[] {
  const ids: string[] = [];
  for (const b of blocks ?? []) {
    const id = b.kind === 'offer' ? b.offer?.decision_id : undefined;
    if (typeof id === 'string' && !ids.includes(id)) ids.push(id);
  }
  return ids.slice(0, 10);
}
