/** Audit findings: one shape for `rarft audit --json`, the Audit view and the tests. */
import type { Severity } from '../problems';
import { positionOf, type AnnoDoc } from './annoDoc';
import type { JsonPath } from '../json/positions';

/** Stable finding codes. New codes are added, never renamed. */
export type FindingCode =
  | 'duplicate-query-text'
  | 'near-duplicate-query'
  | 'refusable-near-answerable'
  | 'video-reused'
  | 'zero-length-span'
  | 'span-past-duration'
  | 'span-frames-slip';

/** A place in a file (1-based line and column). */
export interface FindingPlace {
  file: string;
  line: number;
  column: number;
}

/** One audit finding at the first query (or value) involved; `related` are the others. */
export interface Finding extends FindingPlace {
  code: FindingCode;
  severity: Severity;
  message: string;
  related: FindingPlace[];
  /** JSON path in `file`, for opening the sample (not part of --json). */
  path: JsonPath;
  /** Ranking score (cosine for embedding findings), not part of --json. */
  score?: number;
}

/** A value of one file involved in a finding. */
export interface Ref {
  doc: AnnoDoc;
  path: JsonPath;
}

/** The place of a reference. */
export function placeOf(ref: Ref): FindingPlace {
  const p = positionOf(ref.doc, ref.path);
  return { file: ref.doc.path, line: p.line, column: p.column };
}

/** Builds a finding at `first`, relating the others. */
export function finding(
  code: FindingCode,
  severity: Severity,
  first: Ref,
  others: readonly Ref[],
  message: string,
  score?: number,
): Finding {
  const f: Finding = { code, severity, ...placeOf(first), message, related: others.map(placeOf), path: first.path };
  if (score !== undefined) f.score = score;
  return f;
}

/** The exact `rarft audit --json` shape. */
export function toAuditJson(findings: readonly Finding[]): {
  findings: Omit<Finding, 'path' | 'score'>[];
} {
  return {
    findings: findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      file: f.file,
      line: f.line,
      column: f.column,
      message: f.message,
      related: f.related.map((r) => ({ file: r.file, line: r.line, column: r.column })),
    })),
  };
}
