export {
  RenderPool,
  type RenderPoolOptions,
  type PoolRenderOptions,
  type TemplateRenderer,
} from './render-pool.js';
