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

/** Severities from the most to the least severe. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Which problems to report: at least this severity, and (when given) only these codes. */
export interface ProblemFilter {
  severity?: Severity;
  codes?: readonly string[];
}

/** The problems a filter selects, errors first, then warnings, then info (stable within each). */
export function filterProblems(problems: readonly Problem[], filter: ProblemFilter): Problem[] {
  const max = filter.severity ? RANK[filter.severity] : RANK.info;
  const codes = filter.codes ? new Set(filter.codes) : null;
  const out = problems.filter((p) => RANK[p.severity] <= max && (!codes || codes.has(p.code)));
  return out
    .map((p, i) => [p, i] as const)
    .sort((a, b) => RANK[a[0].severity] - RANK[b[0].severity] || a[1] - b[1])
    .map(([p]) => p);
}

/** Counts by severity, and by code (most severe first, then most frequent). */
export function problemCounts(problems: readonly Problem[]): {
  bySeverity: Record<Severity, number>;
  byCode: { code: ProblemCode; severity: Severity; count: number }[];
} {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byCode = new Map<string, { code: ProblemCode; severity: Severity; count: number }>();
  for (const p of problems) {
    bySeverity[p.severity]++;
    const key = `${p.code}\u0000${p.severity}`;
    const c = byCode.get(key);
    if (c) c.count++;
    else byCode.set(key, { code: p.code, severity: p.severity, count: 1 });
  }
  const list = [...byCode.values()].sort(
    (a, b) => RANK[a.severity] - RANK[b.severity] || b.count - a.count || (a.code < b.code ? -1 : 1),
  );
  return { bySeverity, byCode: list };
}
