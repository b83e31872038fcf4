export * from './core/index.js';
export {
  Segment,
  SegmentInput,
  SegmentList,
  MembersQuery,
  MemberPage,
  PreviewInput,
  PreviewResult,
} from './segment.js';
export { SegmentRegistry, WorkspaceSegments, type LoadedSegment } from './registry.js';
export { SegmentStage } from './stage.js';
export { evaluateAndApply, SEGMENT_ENTERED, SEGMENT_EXITED, type Transition } from './apply.js';
export {
  createSegment,
  getSegment,
  listSegments,
  updateSegment,
  deleteSegment,
  ensureBuiltIns,
  listMembers,
  segmentsOf,
  memberSegmentIds,
  checkSegment,
  segmentDefinitions,
} from './repo.js';
export { previewSegment } from './preview.js';
export { recomputeSegments, type RecomputeResult } from './recompute.js';
export { builtInSegments, type BuiltIn } from './built-ins.js';
