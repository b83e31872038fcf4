export {
  RenderPool,
  KILL_GRACE_MS,
  type RenderPoolOptions,
  type PoolRenderOptions,
  type TemplateRenderer,
} from './render-pool.js';
