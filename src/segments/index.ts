export {
  SegmentDefinition,
  type Subject,
  type SubjectEvent,
  validateSegment,
  compile,
  type CompiledSegment,
  dependencies,
  indexEvents,
} from './core/index.js';
export {
  Segment,
  SegmentInput,
  SegmentList,
  MembersQuery,
  MemberPage,
  PreviewInput,
  PreviewResult,
} from './segment.js';
export { SegmentRegistry } from './registry.js';
export { SegmentStage } from './stage.js';
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
  segmentDefinitions,
} from './repo.js';
export { previewSegment } from './preview.js';
export { unseenEventWarnings } from './typos.js';
export { recomputeSegments } from './recompute.js';
export { exportPersonSegments, erasePersonSegments } from './personal-data.js';
export { membersCsv, MembersCsvQuery, assertSegmentExists } from './export-members.js';
export { oldestDueCheck } from './due-checks.js';
