import type { RecommendProvider, RecommendRequest } from '../channels/index.js';
import type { RecommendationService } from '../recommend/index.js';

/**
 * What `{% recommend %}` blocks in templates ask the recommendations engine, for one
 * person. Someone who opted out of personalization gets what everyone gets.
 */
export function recommendProvider(
  recommendations: RecommendationService,
): (workspaceId: string, profileId: string) => RecommendProvider {
  return (workspaceId, profileId) => (request: RecommendRequest) => {
    const itemId =
      typeof request.item_id === 'string' && request.item_id ? request.item_id : undefined;
    const category = typeof request.category === 'string' ? request.category : undefined;
    return recommendations
      .recommend(workspaceId, {
        strategy: request.personalized ? request.strategy : 'popular',
        limit: request.limit,
        ...(request.personalized ? { userId: profileId } : {}),
        ...(request.personalized && itemId ? { itemId } : {}),
        ...(category ? { category } : {}),
      })
      .items.map((i) => ({
        id: i.itemId,
        title: i.title,
        reason: i.reason.text,
        reason_code: i.reason.code,
        strategy: i.strategy,
      }));
  };
}
