import type { Analysis } from './analysis.js';
import type { Subject } from './types.js';

/** A compiled condition: its value, and its value with the time of its next change. */
export interface CompiledNode {
  evaluate(subject: Subject, now: number): boolean;
  analyze(subject: Subject, now: number): Analysis;
}
