/** An item a recommendation block loops over (id, title, url, image, price...). */
export type RecommendedItem = Readonly<Record<string, unknown>>;

/**
 * What a `{% recommend %}` block asks for: its arguments as written (`strategy`, `limit`,
 * and any others such as `item_id` or `category`), plus whether the person may be
 * personalized. When `personalized` is false the provider must not use the person's
 * behaviour (fall back to popular items) and `profileId` is absent.
 */
export interface RecommendRequest {
  strategy: string;
  limit: number;
  personalized: boolean;
  profileId?: string;
  [argument: string]: unknown;
}

export type RecommendProvider = (request: RecommendRequest) => Promise<readonly RecommendedItem[]>;

/** An offer an `{% offer %}` block renders (id, title, url, decision id...). */
export type DecidedOffer = Readonly<Record<string, unknown>>;

export interface OfferRequest {
  placement: string;
  personalized: boolean;
  profileId?: string;
  [argument: string]: unknown;
}

/** Resolves to the offer to show, or `null` for none (the block's `{% else %}` renders). */
export type OfferProvider = (request: OfferRequest) => Promise<DecidedOffer | null>;

/** One provider call made while rendering: what was shown, for attribution and the log. */
export type BlockCall =
  | { kind: 'recommend'; request: RecommendRequest; items: readonly RecommendedItem[] }
  | { kind: 'offer'; request: OfferRequest; offer: DecidedOffer | null };

function stableKey(value: unknown): string | null {
  try {
    return JSON.stringify(value, (_k, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    );
  } catch {
    return null;
  }
}

/**
 * The provider calls of one render of one message. The same block in the HTML and the
 * text part asks once and shows the same items in both; every distinct call is recorded
 * in order.
 */
export class BlockCalls {
  readonly calls: BlockCall[] = [];
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(
    private readonly recommendProvider: RecommendProvider | undefined,
    private readonly offerProvider: OfferProvider | undefined,
  ) {}

  recommend(request: RecommendRequest): Promise<readonly RecommendedItem[]> {
    return this.once('r', request, async () => {
      // No provider (a preview without a recommender): an empty block, never a crash.
      const items = this.recommendProvider ? await this.recommendProvider(request) : [];
      const kept = items.slice(0, request.limit);
      this.calls.push({ kind: 'recommend', request, items: kept });
      return kept;
    });
  }

  offer(request: OfferRequest): Promise<DecidedOffer | null> {
    return this.once('o', request, async () => {
      const offer = this.offerProvider ? await this.offerProvider(request) : null;
      this.calls.push({ kind: 'offer', request, offer });
      return offer;
    });
  }

  private once<T>(kind: string, request: unknown, run: () => Promise<T>): Promise<T> {
    const text = stableKey(request);
    // An argument that cannot be serialized cannot be compared: ask again.
    if (text === null) return run();
    const key = `${kind}:${text}`;
    const known = this.pending.get(key);
    if (known) return known as Promise<T>;
    const started = run();
    this.pending.set(key, started);
    return started;
  }
}
