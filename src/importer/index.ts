export {
  defaultRejectsPath,
  runImport,
  PRESETS,
  type ImportKind,
  type Preset,
} from './run-import.js';
export { parseMappings } from './mapping.js';
export { createProgress, type Progress } from './progress.js';
export { eventTimeOf } from './shift.js';
