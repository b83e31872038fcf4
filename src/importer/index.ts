export {
  runImport,
  PRESETS,
  type ImportKind,
  type ImportOptions,
  type ImportSummary,
  type Preset,
} from './run-import.js';
export { parseMappings, csvRowToEvent, cellValue, rowToItem, derivedMessageId } from './mapping.js';
export { createProgress, type Progress } from './progress.js';
export { OnlineRetailPreset } from './presets/online-retail.js';
export { parseLocalDateTime } from './local-date-time.js';
