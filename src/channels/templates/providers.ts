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

/** May answer synchronously (from memory) or with a promise. */
export type RecommendProvider = (
  request: RecommendRequest,
) => readonly RecommendedItem[] | Promise<readonly RecommendedItem[]>;

/** An offer an `{% offer %}` block renders (id, title, url, decision id...). */
export type DecidedOffer = Readonly<Record<string, unknown>>;

export interface OfferRequest {
  placement: string;
  personalized: boolean;
  profileId?: string;
  [argument: string]: unknown;
}

/** Resolves to the offer to show, or `null` for none (the block's `{% else %}` renders). */
export type OfferProvider = (
  request: OfferRequest,
) => DecidedOffer | null | Promise<DecidedOffer | null>;

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
 * Thrown by a block whose provider has not answered yet. Templates render synchronously
 * (LiquidJS's async mode costs a promise per node, about half the speed); a block that
 * needs an answer still in flight stops the pass, the engine awaits the answer and
 * renders the field again, now from the cache. A provider that answers synchronously
 * (from memory) never causes a second pass.
 */
export class AwaitingProvider extends Error {
  constructor() {
    super('a block is waiting for its provider');
    this.name = 'AwaitingProvider';
  }
}

type Entry =
  | { state: 'ready'; value: unknown }
  | { state: 'failed'; error: unknown }
  | { state: 'pending'; promise: Promise<void> };

/** Runs `keep` on an answer; a bad answer becomes a failed entry, never a rejection. */
function settled(keep: () => unknown): Entry {
  try {
    return { state: 'ready', value: keep() };
  } catch (error) {
    return { state: 'failed', error };
  }
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * The provider calls of one render of one message, by their arguments. The same block in
 * the HTML and the text part asks once and shows the same items in both. `calls` records
 * what the render showed: each distinct call once, when first shown.
 */
export class BlockCalls {
  readonly calls: BlockCall[] = [];
  private readonly entries = new Map<string, Entry>();
  private readonly shown = new Set<string>();

  constructor(
    private readonly recommendProvider: RecommendProvider | undefined,
    private readonly offerProvider: OfferProvider | undefined,
  ) {}

  /**
   * The items for a recommend block, or throws (the provider's error, or
   * AwaitingProvider). With `show` false it only starts the call (a prefetch).
   */
  recommend(request: RecommendRequest, show = true): readonly RecommendedItem[] {
    const provider = this.recommendProvider;
    return this.answer(
      'recommend',
      request,
      // No provider (a preview without a recommender): an empty block, never a crash.
      () => (provider ? provider(request) : []),
      (items: unknown): readonly RecommendedItem[] => {
        if (!Array.isArray(items)) {
          throw new Error('recommend: the provider did not answer with a list');
        }
        return (items as RecommendedItem[]).slice(0, request.limit);
      },
      (items) => ({ kind: 'recommend', request, items }),
      show,
    );
  }

  /** The offer for an offer block (or null), or throws like {@link recommend}. */
  offer(request: OfferRequest, show = true): DecidedOffer | null {
    const provider = this.offerProvider;
    return this.answer(
      'offer',
      request,
      () => (provider ? provider(request) : null),
      (offer: DecidedOffer | null) => {
        if (offer !== null && (typeof offer !== 'object' || Array.isArray(offer))) {
          throw new Error('offer: the provider did not answer with an offer or null');
        }
        return offer;
      },
      (offer) => ({ kind: 'offer', request, offer }),
      show,
    );
  }

  /** Waits for every answer in flight; false when there was none. */
  async settle(): Promise<boolean> {
    const pending = [...this.entries.values()].flatMap((e) =>
      e.state === 'pending' ? [e.promise] : [],
    );
    await Promise.all(pending);
    return pending.length > 0;
  }

  private answer<R, T>(
    kind: string,
    request: unknown,
    ask: () => R | Promise<R>,
    keep: (answer: R) => T,
    record: (value: T) => BlockCall,
    show: boolean,
  ): T {
    const text = stableKey(request);
    if (text === null) throw new Error(`${kind}: arguments must be plain data`);
    const key = `${kind}:${text}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      try {
        const answer = ask();
        entry = isPromise(answer)
          ? {
              state: 'pending',
              promise: answer.then(
                (value) =>
                  void this.entries.set(
                    key,
                    settled(() => keep(value)),
                  ),
                (error: unknown) => void this.entries.set(key, { state: 'failed', error }),
              ),
            }
          : settled(() => keep(answer));
      } catch (error) {
        entry = { state: 'failed', error };
      }
      this.entries.set(key, entry);
    }
    if (entry.state === 'ready') {
      if (show && !this.shown.has(key)) {
        this.shown.add(key);
        this.calls.push(record(entry.value as T));
      }
      return entry.value as T;
    }
    if (entry.state === 'failed') throw entry.error;
    if (!show) return undefined as T; // a prefetch: the answer is on its way
    throw new AwaitingProvider();
  }
}
