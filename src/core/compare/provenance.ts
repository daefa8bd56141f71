/** Where a run's judgments came from, and the warnings when two compared runs differ there. */

/** A run's provenance, from its `metrics.json` evaluation block and its items. */
export interface RunProvenance {
  /** The file compared (for messages). */
  path?: string;
  judge?: string;
  judgeModel?: string;
  promptVersion?: string;
  /** Annotation files the run was joined to or evaluated against, with their hashes when known. */
  annotationFiles?: { path: string; sha256?: string }[];
  /** sha256 of the items file. */
  sha256?: string;
  items?: number;
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** Reads the provenance fields of a `metrics.json` evaluation block (missing ones stay undefined). */
export function provenanceFromMetrics(metrics: unknown): RunProvenance {
  const ev = (metrics as { evaluation?: Record<string, unknown> } | null)?.evaluation;
  if (!ev || typeof ev !== 'object') return {};
  const files = Array.isArray(ev.annotation_files)
    ? ev.annotation_files.flatMap((f) => {
        if (typeof f === 'string') return [{ path: f }];
        const o = f as Record<string, unknown>;
        return typeof o?.path === 'string' ? [{ path: o.path, sha256: str(o.sha256) }] : [];
      })
    : undefined;
  return {
    judge: str(ev.judge),
    judgeModel: str(ev.judge_model),
    promptVersion: str(ev.judge_prompt_version),
    annotationFiles: files,
  };
}

type FileRef = { path: string; sha256?: string };
const short = (h: string | undefined) => (h ? `${h.slice(0, 12)}…` : 'unknown');

/**
 * Annotation files that tell the runs apart: one path with different contents on the two sides,
 * or no file in common at all (one run joined to a subset of the other's files is not a difference).
 */
function annotationWarnings(a: FileRef[], b: FileRef[]): string[] {
  const out: string[] = [];
  const inA = new Map(a.map((f) => [f.path, f]));
  for (const f of b) {
    const x = inA.get(f.path);
    if (x?.sha256 && f.sha256 && x.sha256 !== f.sha256)
      out.push(`different annotation files: ${f.path} has sha256 ${short(x.sha256)} in A, ${short(f.sha256)} in B`);
  }
  const hashes = new Set(a.map((f) => f.sha256).filter(Boolean));
  const shared = b.some((f) => inA.has(f.path) || (f.sha256 && hashes.has(f.sha256)));
  if (!shared) {
    const list = (fs: FileRef[]) => fs.map((f) => `${f.path} (${short(f.sha256)})`).join(', ');
    out.push(`different annotation files: A ${list(a)}; B ${list(b)}`);
  }
  return out;
}

/** Warnings for two runs judged or scored differently (a field unknown on a side is not compared). */
export function provenanceWarnings(a: RunProvenance | undefined, b: RunProvenance | undefined): string[] {
  if (!a || !b) return [];
  const out: string[] = [];
  const check = (what: string, x: string | undefined, y: string | undefined) => {
    if (x !== undefined && y !== undefined && x !== y) out.push(`different ${what}: A ${x}, B ${y}`);
  };
  check('judges', a.judge, b.judge);
  check('judge models', a.judgeModel, b.judgeModel);
  check('judge prompt versions', a.promptVersion, b.promptVersion);
  if (a.annotationFiles?.length && b.annotationFiles?.length)
    out.push(...annotationWarnings(a.annotationFiles, b.annotationFiles));
  return out;
}

/** A run's provenance as `compare --json` prints it (snake_case, as `metrics.json` names them). */
export interface ProvenanceJson {
  path: string | null;
  sha256: string | null;
  items: number | null;
  judge: string | null;
  judge_model: string | null;
  judge_prompt_version: string | null;
  annotation_files: { path: string; sha256: string | null }[];
}

/** The JSON form of a run's provenance (unknown fields null). */
export function provenanceJson(p: RunProvenance): ProvenanceJson {
  return {
    path: p.path ?? null,
    sha256: p.sha256 ?? null,
    items: p.items ?? null,
    judge: p.judge ?? null,
    judge_model: p.judgeModel ?? null,
    judge_prompt_version: p.promptVersion ?? null,
    annotation_files: (p.annotationFiles ?? []).map((f) => ({ path: f.path, sha256: f.sha256 ?? null })),
  };
}
