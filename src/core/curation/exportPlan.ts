/**
 * What `rarft export` keeps, drops and where each kept entry goes. Pure: the texts come from
 * the documents as they are; `exportWrite.ts` writes the result.
 */
import type { Embedder } from '../embed/embedder';
import { CurationError, normaliseQuery, videoKey, type AnnoDoc } from './annoDoc';
import { embedQueries } from './auditEmbed';
import type { QueryAt } from './auditSpans';
import { flagsOf, type Flag } from './flags';
import { nearPairs } from './nearPairs';
import { assignSplits, UnionFind, type SplitSpec } from './split';
import { failingClause, type Clause } from './where';

/** Options of `planExport`. */
export interface ExportOptions {
  /** Splits; none writes one `subset`. */
  split?: SplitSpec[];
  seed?: number;
  where?: Clause[];
  /** Keep only queries with one of these flags (a flag on the whole video counts). */
  tags?: string[];
  /** Drop queries with any of these flags. */
  excludeTags?: string[];
  flags?: readonly Flag[];
  /** The name flags use for a document's file. */
  flagFile?: (doc: AnnoDoc) => string;
  /** Keep videos linked by near-duplicate queries in one split. */
  groupDuplicates?: boolean;
  /** With an embedder, near-duplicates are also queries at cosine ≥ `threshold` (default 0.9). */
  embedder?: Embedder;
  threshold?: number;
  signal?: AbortSignal;
}

/** A kept entry: where it comes from and which of its queries stay. */
export interface KeptEntry {
  doc: AnnoDoc;
  entry: number;
  /** Indexes into the entry's GRPO array, in order; all of them means the entry is copied whole. */
  queries: number[];
  whole: boolean;
  split: number;
}

/** A dropped query (or entry) and why. */
export interface Dropped {
  file: string;
  video: string;
  /** Null for an entry dropped as a whole (not an object, no GRPO list). */
  query: string | null;
  reason: string;
}

/** Near-duplicate queries that landed in different splits. */
export interface Leak {
  a: { file: string; video: string; query: string; split: string };
  b: { file: string; video: string; query: string; split: string };
  how: 'text' | 'embedding';
}

/** The plan. */
export interface ExportPlan {
  splitNames: string[];
  kept: KeptEntry[];
  dropped: Dropped[];
  leaks: Leak[];
  /** Query elements read from GRPO lists, kept or not. */
  inputQueries: number;
}

function difficultyOf(g: Record<string, unknown>): string | null {
  return typeof g.difficulty === 'string' ? g.difficulty : g.r === true ? 'original' : null;
}

/** Decides, for each query of each document, whether it is kept (before splitting). */
function select(docs: readonly AnnoDoc[], o: ExportOptions): { kept: KeptEntry[]; dropped: Dropped[]; input: number } {
  const kept: KeptEntry[] = [];
  const dropped: Dropped[] = [];
  let input = 0;
  for (const doc of docs) {
    const file = o.flagFile ? o.flagFile(doc) : doc.path;
    doc.raw.forEach((e, i) => {
      const entry = e as Record<string, unknown>;
      const video = typeof entry?.video === 'string' ? entry.video : '';
      if (typeof e !== 'object' || e === null || Array.isArray(e) || !Array.isArray(entry.GRPO)) {
        dropped.push({ file: doc.path, video, query: null, reason: 'entry is not an object with a GRPO list' });
        return;
      }
      const keep: number[] = [];
      (entry.GRPO as unknown[]).forEach((g, j) => {
        input++;
        const why = dropReason(g, video, file, o);
        if (why) dropped.push({ file: doc.path, video, query: queryText(g), reason: why });
        else keep.push(j);
      });
      if (keep.length)
        kept.push({ doc, entry: i, queries: keep, whole: keep.length === (entry.GRPO as unknown[]).length, split: 0 });
    });
  }
  return { kept, dropped, input };
}

function queryText(g: unknown): string {
  const q = (g as { q?: unknown } | null)?.q;
  return typeof q === 'string' ? q : '';
}

function dropReason(g: unknown, video: string, file: string, o: ExportOptions): string | null {
  if (typeof g !== 'object' || g === null || Array.isArray(g)) return 'query is not an object';
  const q = g as Record<string, unknown>;
  const text = queryText(q);
  if (o.tags?.length || o.excludeTags?.length) {
    const tags = new Set(flagsOf(o.flags ?? [], { file, video, query: text }).map((f) => f.tag));
    const bad = o.excludeTags?.find((t) => tags.has(t));
    if (bad) return `flagged ${bad}`;
    if (o.tags?.length && !o.tags.some((t) => tags.has(t))) return `not flagged ${o.tags.join(' or ')}`;
  }
  const failed = failingClause(o.where ?? [], {
    video,
    q: text,
    r: typeof q.r === 'boolean' ? q.r : null,
    difficulty: difficultyOf(q),
    categories: Array.isArray(q.c) ? q.c.filter((c): c is string => typeof c === 'string') : [],
  });
  return failed ? `where ${failed.text}` : null;
}

/** Pairs of kept queries (by position in `flat`) that are near-duplicates, by text and optionally embedding. */
async function duplicatePairs(flat: QueryAt[], o: ExportOptions): Promise<[number, number, 'text' | 'embedding'][]> {
  const out: [number, number, 'text' | 'embedding'][] = [];
  const firstOf = new Map<string, number>();
  flat.forEach((q, k) => {
    const n = normaliseQuery(q.q);
    if (!n) return;
    const f = firstOf.get(n);
    if (f === undefined) firstOf.set(n, k);
    else out.push([f, k, 'text']);
  });
  if (!o.embedder) return out;
  const emb = await embedQueries(o.embedder, flat, o.signal);
  const norm = emb.texts.map(normaliseQuery);
  const byText = emb.texts.map((): number[] => []);
  flat.forEach((q, k) => byText[emb.textOf.get(q.q) as number].push(k));
  const near = nearPairs(emb.vectors, o.threshold ?? 0.9, (i, j) => norm[i] === norm[j]);
  if (near.more)
    throw new CurationError(
      `more than ${near.length} near-duplicate pairs at cosine ≥ ${o.threshold ?? 0.9}: raise --threshold (is the model right?)`,
    );
  for (const p of near) out.push([byText[p.i][0], byText[p.j][0], 'embedding']);
  return out;
}

/** Plans an export: selection, grouping by video (and near-duplicates), stratified split, leak check. */
export async function planExport(docs: readonly AnnoDoc[], o: ExportOptions = {}): Promise<ExportPlan> {
  const { kept, dropped, input } = select(docs, o);
  const specs = o.split?.length ? o.split : [{ name: 'subset', ratio: 1 }];
  const flat: QueryAt[] = [];
  const unitOf: number[] = [];
  kept.forEach((k, u) => {
    const e = k.doc.raw[k.entry] as { video?: unknown; GRPO: Record<string, unknown>[] };
    const video = typeof e.video === 'string' ? e.video : '';
    for (const j of k.queries) {
      const g = e.GRPO[j];
      flat.push({
        doc: k.doc,
        entry: k.entry,
        index: j,
        q: queryText(g),
        r: typeof g.r === 'boolean' ? g.r : null,
        video,
      });
      unitOf.push(u);
    }
  });
  const pairs = specs.length > 1 ? await duplicatePairs(flat, o) : [];
  const uf = new UnionFind(kept.length);
  const byVideo = new Map<string, number>();
  kept.forEach((k, u) => {
    const v = videoKey(String((k.doc.raw[k.entry] as { video?: unknown }).video ?? ''));
    const prev = byVideo.get(v);
    if (prev === undefined) byVideo.set(v, u);
    else uf.union(prev, u);
  });
  if (o.groupDuplicates) for (const [a, b] of pairs) uf.union(unitOf[a], unitOf[b]);
  const roots = [...new Set(kept.map((_, u) => uf.find(u)))];
  const groupIndex = new Map(roots.map((r, g) => [r, g]));
  const diffs = roots.map(() => new Set<string>());
  const sizes = roots.map(() => 0);
  flat.forEach((q, k) => {
    const g = groupIndex.get(uf.find(unitOf[k])) as number;
    sizes[g]++;
    diffs[g].add(difficultyOf((q.doc.raw[q.entry] as { GRPO: Record<string, unknown>[] }).GRPO[q.index]) ?? 'unknown');
  });
  const assigned = assignSplits(
    roots.map((_, g) => ({ size: sizes[g], stratum: [...diffs[g]].sort().join('+') })),
    specs,
    o.seed ?? 0,
  );
  kept.forEach((k, u) => (k.split = assigned[groupIndex.get(uf.find(u)) as number]));
  const leaks: Leak[] = [];
  const side = (k: number) => ({
    file: flat[k].doc.path,
    video: flat[k].video,
    query: flat[k].q,
    split: specs[kept[unitOf[k]].split].name,
  });
  for (const [a, b, how] of pairs)
    if (kept[unitOf[a]].split !== kept[unitOf[b]].split) leaks.push({ a: side(a), b: side(b), how });
  return { splitNames: specs.map((s) => s.name), kept, dropped, leaks, inputQueries: input };
}
