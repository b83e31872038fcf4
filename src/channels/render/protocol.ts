// The messages between the render pool (main thread) and a render worker. Everything
// crossing is plain data (structured clone): the worker never sees a provider function,
// it asks for each answer by message instead.
import type {
  DecidedOffer,
  MessageTemplate,
  OfferRequest,
  RecommendedItem,
  RecommendRequest,
  RenderResult,
  TemplateContext,
  TemplateLimits,
} from '../templates/index.js';

/** What a worker is started with. */
export interface WorkerSetup {
  limits: TemplateLimits;
}

/** One message to render. */
export interface RenderJob {
  type: 'render';
  job: number;
  template: MessageTemplate;
  context: TemplateContext;
  personalized: boolean;
  now: number;
  /** Which providers the caller has: blocks without one render their `{% else %}`. */
  providers: { recommend: boolean; offer: boolean };
}

/** A provider's answer to a worker's `ask`, or why there is none. */
export type ProviderAnswer =
  | { type: 'answer'; call: number; kind: 'recommend'; items: readonly RecommendedItem[] }
  | { type: 'answer'; call: number; kind: 'offer'; offer: DecidedOffer | null }
  | { type: 'answer'; call: number; kind: 'error'; message: string };

export type ToWorker = RenderJob | ProviderAnswer;

/** A block asks the caller's provider (through the main thread). */
export type ProviderAsk =
  | { type: 'ask'; job: number; call: number; kind: 'recommend'; request: RecommendRequest }
  | { type: 'ask'; job: number; call: number; kind: 'offer'; request: OfferRequest };

export type FromWorker =
  /** Loaded and listening: jobs may be posted. */
  | { type: 'ready' }
  /** The field whose render starts: what a time limit names if the thread is stopped. */
  | { type: 'field'; job: number; field: string }
  | ProviderAsk
  | { type: 'done'; job: number; result: RenderResult }
  /** A bug, not a template problem: the caller gets an exception. */
  | { type: 'crashed'; job: number; message: string };
