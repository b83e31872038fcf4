import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { zodDetails } from '../../shared/index.js';
import { CONDITION_KINDS } from './check-definition.js';
import { CreateSegment, SegmentDefinition } from './schema.js';

// Every example in docs/segments.md must be accepted, so the guide cannot drift from
// the schema.
const doc = readFileSync(new URL('../../../docs/segments.md', import.meta.url), 'utf8');

function examples(): unknown[] {
  const texts: string[] = [];
  for (const [, block] of doc.matchAll(/```json\n([\s\S]*?)```/g)) {
    texts.push(block!, ...block!.split('\n'));
  }
  for (const [, inline] of doc.matchAll(/`(\{[^`]*\})`/g)) texts.push(inline!);
  const out: unknown[] = [];
  for (const text of texts) {
    try {
      out.push(JSON.parse(text));
    } catch {
      // Placeholders such as {"all": [{...}, {...}]} and partial lines are not examples.
    }
  }
  return out;
}

describe('docs/segments.md', () => {
  const all = examples();
  const bodies = all.filter((e) => typeof e === 'object' && e !== null && 'definition' in e);
  const conditions = all.filter(
    (e) => typeof e === 'object' && e !== null && CONDITION_KINDS.some((k) => Object.hasOwn(e, k)),
  );

  it('opens with the issue example, accepted as written', () => {
    expect(bodies.length).toBeGreaterThan(0);
    expect(CreateSegment.parse(bodies[0]).name).toBe('Shoe browsers, not buyers');
  });

  it('has only valid condition examples', () => {
    expect(conditions.length).toBeGreaterThan(30);
    for (const condition of conditions) {
      const result = SegmentDefinition.safeParse(condition);
      expect(result.success ? [] : zodDetails(result.error), JSON.stringify(condition)).toEqual([]);
    }
  });
});
