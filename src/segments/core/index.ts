export { SegmentDefinition, CreateSegment } from './schema.js';
export type {
  Scalar,
  ValueTest,
  CountTest,
  TimeTest,
  TraitCondition,
  ComputedCondition,
  EventCondition,
  SegmentCondition,
  AllCondition,
  AnyCondition,
  NotCondition,
  Subject,
  SubjectEvent,
} from './types.js';
export { validateSegment, type ValidateOptions, type ValidateResult } from './validate.js';
export { compile, evaluate, nextCheckAt, type CompiledSegment } from './compile.js';
export { dependencies, type Dependencies } from './dependencies.js';
export { namedUses, type NamedUse } from './named-uses.js';
export { segmentReferences, orderByReferences, type SegmentReference } from './references.js';
export { indexEvents } from './index-events.js';
export { parseDuration } from './duration.js';
export { SEGMENT_LIMITS, DAY_MS } from './limits.js';
export { VALUE_OPERATORS, OPERATORS_BY_PLACE, type OperatorName, type Place } from './operators.js';
