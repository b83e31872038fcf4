export {
  TemplateChannel,
  TEMPLATE_FIELDS,
  CHANNEL_FIELDS,
  TemplateFields,
  VariablePath,
  MessageTemplate,
  type MessageTemplateInput,
  type TemplateField,
  type TemplateError,
} from './message-template.js';
export {
  ADDRESSING_TRAITS,
  templateScope,
  applyDefaults,
  type TemplateContext,
  type TemplateProfile,
} from './context.js';
export { TemplateEngine, escapingOf, type Escaping } from './engine.js';
export {
  DEFAULT_TEMPLATE_LIMITS,
  limitMessage,
  type RenderLimit,
  type TemplateLimits,
} from './limits.js';
export {
  CompiledTemplate,
  compileTemplate,
  validateTemplate,
  type CompileResult,
} from './compile.js';
export {
  renderTemplate,
  type RenderOptions,
  type RenderResult,
  type RenderedFields,
} from './render.js';
export type {
  RecommendRequest,
  RecommendProvider,
  RecommendedItem,
  OfferRequest,
  OfferProvider,
  DecidedOffer,
  BlockCall,
} from './providers.js';
export { templateTraitUses, type TemplateTraitUse } from './trait-uses.js';
export { variableWarnings, type VariableWarning } from './variable-warnings.js';
