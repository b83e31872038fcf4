import type { CatalogIndex } from './catalog-index.js';
import { strongestKind } from './feedback.js';
import type { PersonHistory } from './history-store.js';
import { PopularityScorer } from './popularity-scorer.js';
import type { Reason, RecommendRequest } from './request.js';
import { DAY_MS } from './schemas.js';
import type { Candidate, Scorer } from './scoring.js';

/** "this week" / "this month" for short half-lives; nothing for long or no decay. */
function window(halfLifeDays: number | null): string {
  if (halfLifeDays === null) return '';
  if (halfLifeDays <= 7) return ' this week';
  if (halfLifeDays <= 31) return ' this month';
  return '';
}

/** The one category the request narrowed to, for "Popular in Shoes". */
function requestCategory(req: RecommendRequest): string | undefined {
  const all = [...(req.categories ?? []), ...(req.category ? [req.category] : [])];
  return all.length === 1 ? all[0] : undefined;
}

/**
 * A short, true sentence for why an item is shown. It names the item that led to it
 * when there is one ("Because you viewed X", "Often bought with Y").
 */
export function explain(
  scorer: Scorer,
  c: Candidate,
  req: RecommendRequest,
  space: CatalogIndex,
  history: PersonHistory | null,
  now: number,
): Reason {
  const related = c.because >= 0 ? { itemId: space.ids[c.because]! } : {};
  const title = c.because >= 0 ? space.title(c.because) : '';
  switch (scorer.strategy) {
    case 'personalized': {
      const k = c.because >= 0 && history ? history.find(c.because) : -1;
      if (k < 0 || !history) return { code: 'because_viewed', text: 'Picked for you' };
      const kind = strongestKind(history.entry(k));
      if (kind === 'purchase') {
        return { code: 'because_bought', text: `Because you bought ${title}`, ...related };
      }
      if (kind === 'cart') {
        return {
          code: 'because_carted',
          text: `Because you added ${title} to your cart`,
          ...related,
        };
      }
      return { code: 'because_viewed', text: `Because you viewed ${title}`, ...related };
    }
    case 'popular':
    case 'trending': {
      const cat = requestCategory(req);
      const config = scorer instanceof PopularityScorer ? scorer.config : undefined;
      if (scorer.strategy === 'trending') {
        return { code: 'trending', text: cat ? `Trending in ${cat}` : 'Trending now' };
      }
      const when = window(config?.halfLifeDays ?? null);
      if (config?.userIds) {
        return { code: 'popular', text: `Popular with customers like you${when}` };
      }
      if (cat) return { code: 'popular', text: `Popular in ${cat}${when}` };
      return { code: 'popular', text: when ? `Popular${when}` : 'Popular with our customers' };
    }
    case 'bought_together':
      return { code: 'bought_together', text: `Often bought with ${title}`, ...related };
    case 'viewed_together':
      return { code: 'viewed_together', text: `Often viewed with ${title}`, ...related };
    case 'similar':
      return { code: 'similar', text: `Similar to ${title}`, ...related };
    case 'recently_viewed':
      return { code: 'recently_viewed', text: 'You viewed this recently' };
    case 'catalog': {
      const created = space.createdAt[c.index]!;
      const fresh = !Number.isNaN(created) && now - created <= 30 * DAY_MS;
      return { code: 'catalog', text: fresh ? 'New arrival' : 'You might also like' };
    }
  }
}
