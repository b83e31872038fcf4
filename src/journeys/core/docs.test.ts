import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cartAbandonment } from './recipes/index.js';
import { validateJourney } from './validate.js';

// docs/journeys.md is part of the repository: its examples must stay true.
const doc = readFileSync(new URL('../../../docs/journeys.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map(
  (m) => JSON.parse(m[1]!) as unknown,
);

describe('docs/journeys.md', () => {
  it('shows exactly what the cart-abandonment template builds', () => {
    const example = blocks[0];
    expect(validateJourney(example)).toEqual({ kind: 'ok', value: example });
    expect(example).toEqual(
      cartAbandonment({
        delay: 'PT1H',
        channel: 'webhook',
        webhookUrl: 'https://hooks.example.com/cart',
      }),
    );
  });

  it('parses every JSON example (a broken one fails at load)', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });
});
