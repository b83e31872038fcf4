import type { SegmentDefinition } from './core/index.js';

export interface BuiltIn {
  id: string;
  name: string;
  kind: 'lifecycle' | 'rfm';
  description: string;
  definition: SegmentDefinition;
}

const stage = (value: string) => ({ computed: 'lifecycle', eq: value }) as SegmentDefinition;
const between = (field: 'recency' | 'frequency' | 'monetary', lo: number, hi: number) =>
  ({ computed: `rfm.${field}`, between: [lo, hi] }) as SegmentDefinition;
/** Average of frequency and monetary is what RFM grids put on their second axis. */
const fm = (lo: number, hi: number): SegmentDefinition => ({
  all: [
    between('frequency', Math.max(1, lo - 1), Math.min(5, hi + 1)),
    between('monetary', Math.max(1, lo - 1), Math.min(5, hi + 1)),
  ],
});

const LIFECYCLE: [string, string, string][] = [
  ['prospect', 'Prospects', 'Seen, but no order yet.'],
  ['new', 'New customers', 'One purchase occasion, not yet overdue.'],
  ['active', 'Active customers', 'Buying at their usual rhythm.'],
  ['at_risk', 'At risk', 'Overdue: no order for 1.5x their usual gap.'],
  ['lapsed', 'Lapsed', 'No order for 3x their usual gap.'],
  ['won_back', 'Won back', 'Returned after having lapsed.'],
];

/**
 * The standard RFM groups, from the usual grid of recency against frequency and monetary
 * scores (1-5 quintiles). Groups overlap in the grid, so each excludes the groups listed
 * before it: everyone with RFM scores lands in at most one.
 */
const RFM: [string, string, string, SegmentDefinition][] = [
  [
    'champions',
    'Champions',
    'Bought recently, buy often and spend the most.',
    { all: [between('recency', 4, 5), between('frequency', 4, 5), between('monetary', 4, 5)] },
  ],
  [
    'cant_lose_them',
    "Can't lose them",
    'Used to buy often and spend a lot, but not for a long time.',
    { all: [between('recency', 1, 1), between('frequency', 4, 5), between('monetary', 4, 5)] },
  ],
  [
    'loyal',
    'Loyal customers',
    'Buy regularly and spend well.',
    { all: [between('recency', 3, 5), between('frequency', 3, 5), between('monetary', 3, 5)] },
  ],
  [
    'at_risk',
    'At risk',
    'Spent well and often, but long ago.',
    { all: [between('recency', 1, 2), between('frequency', 3, 5), between('monetary', 3, 5)] },
  ],
  [
    'new',
    'New',
    'Bought very recently, for the first time or nearly.',
    { all: [between('recency', 5, 5), between('frequency', 1, 1)] },
  ],
  [
    'potential_loyalists',
    'Potential loyalists',
    'Recent customers with average frequency.',
    { all: [between('recency', 4, 5), between('frequency', 1, 3)] },
  ],
  [
    'promising',
    'Promising',
    'Recent shoppers who have not spent much yet.',
    { all: [between('recency', 3, 4), between('frequency', 1, 1)] },
  ],
  [
    'need_attention',
    'Need attention',
    'Above-average recency, frequency and money, slipping.',
    { all: [between('recency', 3, 3), fm(2, 3)] },
  ],
  [
    'about_to_sleep',
    'About to sleep',
    'Below-average recency and frequency.',
    { all: [between('recency', 2, 3), between('frequency', 1, 2)] },
  ],
  [
    'hibernating',
    'Hibernating',
    'Last bought long ago, few orders, low spend.',
    { all: [between('recency', 2, 2), between('frequency', 1, 2), between('monetary', 1, 2)] },
  ],
  [
    'lost',
    'Lost',
    'Lowest recency, frequency and money.',
    { all: [between('recency', 1, 2), between('frequency', 1, 5)] },
  ],
];

export function builtInSegments(): BuiltIn[] {
  const lifecycle: BuiltIn[] = LIFECYCLE.map(([value, name, description]) => ({
    id: `lifecycle_${value}`,
    name: `Lifecycle: ${name}`,
    kind: 'lifecycle',
    description,
    definition: stage(value),
  }));
  const rfm: BuiltIn[] = RFM.map(([key, name, description, base], i) => {
    const before = RFM.slice(0, i).map(([k]) => ({ segment: `rfm_${k}` }));
    return {
      id: `rfm_${key}`,
      name: `RFM: ${name}`,
      kind: 'rfm',
      description,
      definition: before.length ? { all: [base, { not: { any: before } }] } : base,
    };
  });
  return [...lifecycle, ...rfm];
}
