/** `rarft audit` and the Audit view: every check over a set of annotation files. */
import type { Embedder } from '../embed/embedder';
import type { AnnoDoc } from './annoDoc';
import {
  embedQueries,
  nearDuplicateFindings,
  refusableNearAnswerableFindings,
  type EmbedThresholds,
} from './auditEmbed';
import { allQueries, spanFindings, textDuplicateFindings, videoReuseFindings } from './auditSpans';
import type { Finding, FindingCode } from './findings';

/** Options of `auditDocs`. */
export interface AuditOptions {
  /** A sentence model; without one the embedding checks are listed in `notRun`. */
  embedder?: Embedder;
  thresholds?: Partial<EmbedThresholds>;
  signal?: AbortSignal;
  onProgress?: (phase: string, done: number, total: number) => void;
}

/** What an audit found, and which checks it could not run. */
export interface AuditResult {
  findings: Finding[];
  /** Checks not run, with why (the embedding checks without a model). */
  notRun: { code: FindingCode; why: string }[];
}

/** Default thresholds of the embedding checks. */
export const DEFAULT_THRESHOLDS: EmbedThresholds = { duplicate: 0.9, refusable: 0.85 };

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/**
 * Audits annotation files: spans (zero length, past the duration, frame-number slips), videos
 * used by several entries or files, duplicate query texts and, with an embedder, near-duplicate
 * queries and refusable queries that embed too close to an answerable query of their video.
 * Findings are ordered by severity, then by score (closest first) and place.
 */
export async function auditDocs(docs: readonly AnnoDoc[], options: AuditOptions = {}): Promise<AuditResult> {
  const t = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const findings: Finding[] = [];
  for (const d of docs) findings.push(...spanFindings(d));
  findings.push(...videoReuseFindings(docs));
  const queries = allQueries(docs);
  findings.push(...textDuplicateFindings(queries));
  const notRun: AuditResult['notRun'] = [];
  if (options.embedder) {
    const emb = await embedQueries(options.embedder, queries, options.signal, (d, n) =>
      options.onProgress?.('embedding', d, n),
    );
    findings.push(...nearDuplicateFindings(queries, emb, t.duplicate, options.signal));
    findings.push(...refusableNearAnswerableFindings(queries, emb, t.refusable));
  } else {
    const why = 'no sentence model (--model DIR)';
    notRun.push({ code: 'near-duplicate-query', why }, { code: 'refusable-near-answerable', why });
  }
  findings.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.code.localeCompare(b.code) ||
      (b.score ?? 0) - (a.score ?? 0) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column,
  );
  return { findings, notRun };
}
