/** A workspace's latest trained recommendation bundle (migration 0031). */
export interface RecommendationModelsTable {
  workspace_id: string;
  /** Grows with every save and erasure: how other processes notice a change. */
  version: number;
  /** The encoding's version (`recommend/bundle-codec.ts`); another one is retrained. */
  format_version: number;
  /** Null after an erasure emptied it. */
  bundle: Uint8Array | null;
  trained_at: number;
  log_through: number;
  interactions: number;
  items: number;
  saved_at: number;
}
