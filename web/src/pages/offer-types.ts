/** An offer as `GET /v1/offers/{id}` answers it (docs/decisions.md). */
export interface Offer {
  id: string;
  name: string;
  kind: string;
  version: number;
  content: Record<string, Record<string, unknown>>;
  eligibility?: unknown;
  validFrom?: string;
  validUntil?: string;
  channels?: string[];
  consentTopic?: string;
  value: number;
  margin?: number;
  priority: number;
  caps?: { perPerson?: { max: number; within: string }; neverAfterRedeemed: boolean };
  budget?: { count?: number; spend?: number };
  codes: boolean;
  codesFree?: number;
  spent: { count: number; amount: number };
  createdAt: string;
  updatedAt: string;
}

export interface Placement {
  name: string;
  description?: string;
  candidates: string[];
  policy: { kind: string } & Record<string, unknown>;
  default: string;
  holdoutPercent: number;
  attributionWindow: string;
  reward: 'click' | 'conversion';
  version: number;
  updatedAt: string;
}

export const OFFER_KINDS = [
  'discount_code',
  'free_shipping',
  'content_block',
  'product_push',
  'no_offer',
] as const;

export const CHANNELS = ['email', 'push', 'web'] as const;

/** "3 of 10" style: what was spent of a budget, or that there is none. */
export function budgetText(spent: number, total: number | undefined): string {
  if (total === undefined) return `${spent.toLocaleString('en')} (no limit)`;
  return `${spent.toLocaleString('en')} of ${total.toLocaleString('en')}`;
}
