/** Validation problems: one shape for the CLI, the Problems panel and the tests. */
import type { JsonPath } from './json/positions';

export type Severity = 'error' | 'warning' | 'info';

/** Stable problem codes. New codes are added, never renamed. */
export type ProblemCode =
  | 'invalid-json'
  | 'wrong-type'
  | 'missing-field'
  | 'timestamp-out-of-range'
  | 'answer-missing-tags'
  | 'empty-answer'
  | 'unknown-category'
  | 'missing-duration'
  | 'duplicate-query'
  | 'no-queries'
  | 'unknown-difficulty'
  | 'difficulty-mismatch'
  | 'answer-timestamp-mismatch'
  | 'missing-timestamp'
  | 'join-missing'
  | 'join-ambiguous';

/** A problem with a file, at a 1-based line and column. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  /** End of the offending range (1-based, exclusive column), when known. */
  endLine?: number;
  endColumn?: number;
  severity: Severity;
  code: ProblemCode;
  message: string;
  /** JSON path of the offending value, for quick fixes and tests. */
  path?: (string | number)[];
  /** Facts a quick fix needs (e.g. the duration to clamp to). */
  data?: Record<string, unknown>;
}

/** A problem before it has a position: found on values, placed in the text afterwards. */
export interface PendingProblem {
  severity: Severity;
  code: ProblemCode;
  message: string;
  path: JsonPath;
  /** Point at the property name instead of the value (e.g. a duplicate key). */
  atKey?: boolean;
  data?: Record<string, unknown>;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Orders problems by file, line, column, then severity. */
export function compareProblems(a: Problem, b: Problem): number {
  return a.file < b.file
    ? -1
    : a.file > b.file
      ? 1
      : a.line - b.line || a.column - b.column || RANK[a.severity] - RANK[b.severity];
}
