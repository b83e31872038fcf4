import type { BlockCalls } from './providers.js';

/** The register under which a render keeps its state, out of the templates' reach. */
export const RENDER_STATE = 'rapport.render';

/** Per-render state the custom tags and filters read from the LiquidJS context. */
export interface RenderState {
  calls: BlockCalls;
  personalized: boolean;
  profileId: string;
  /** The render time (epoch ms): what `"now" | date` shows. */
  now: number;
  /** Upper bound of a recommend block's `limit`. */
  maxItems: number;
}
