/**
 * Writes an export plan: `DIR/<split>.json` per split (or `DIR/subset.json`) and
 * `DIR/manifest.json`. Entries are sliced out of the original text byte for byte; an entry that
 * keeps only some of its queries gets a GRPO list of its kept query objects (each byte for byte,
 * with the list's own separators). Nothing is re-serialised.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from '../fsAtomic';
import { at, sliceOf, videoKey, type AnnoDoc } from './annoDoc';
import type { ExportPlan, KeptEntry } from './exportPlan';

/** The manifest beside the exported files. */
export interface Manifest {
  tool: string;
  created: string;
  inputs: { file: string; sha256: string; entries: number; queries: number }[];
  filter: { where: string[]; tags: string[]; excludeTags: string[] };
  split: Record<string, number> | null;
  seed: number;
  groupDuplicates: boolean;
  counts: Record<string, { entries: number; videos: number; queries: number; byDifficulty: Record<string, number> }>;
  kept: number;
  dropped: { queries: number; entries: number; byReason: Record<string, number>; items: ExportPlan['dropped'] };
  nearDuplicatesAcrossSplits: ExportPlan['leaks'];
}

function indentOf(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : '';
}

/** The text of a kept entry: the original slice, or the slice with its GRPO list cut to the kept queries. */
export function entryText(k: KeptEntry): string {
  const { doc } = k;
  const whole = sliceOf(doc, [k.entry]);
  if (k.whole) return whole;
  const entry = at(doc, [k.entry]);
  const list = at(doc, [k.entry, 'GRPO']);
  const n = ((doc.raw[k.entry] as { GRPO: unknown[] }).GRPO ?? []).length;
  const el = (j: number) => at(doc, [k.entry, 'GRPO', j]);
  const open = doc.text.slice(list.offset, el(0).offset);
  const close = doc.text.slice(el(n - 1).offset + el(n - 1).length, list.offset + list.length);
  const sep = n > 1 ? doc.text.slice(el(0).offset + el(0).length, el(1).offset) : `,${open.slice(1)}`;
  const body = k.queries.map((j) => sliceOf(doc, [k.entry, 'GRPO', j])).join(sep);
  const start = list.offset - entry.offset;
  return whole.slice(0, start) + open + body + close + whole.slice(start + list.length);
}

/**
 * The text of one output file: the kept entries in input order, each with its original
 * indentation; the file ends with a line break only when the (first) input does.
 */
export function splitText(entries: readonly KeptEntry[], eol: string, finalEol = eol): string {
  if (!entries.length) return `[]${finalEol}`;
  const parts = entries.map((k) => indentOf(k.doc.text, at(k.doc, [k.entry]).offset) + entryText(k));
  return `[${eol}${parts.join(`,${eol}`)}${eol}]${finalEol}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Builds the output texts and the manifest (nothing written). */
export function renderExport(
  docs: readonly AnnoDoc[],
  plan: ExportPlan,
  meta: Pick<Manifest, 'filter' | 'split' | 'seed' | 'groupDuplicates'>,
): { files: Map<string, string>; manifest: Manifest } {
  const eol = docs[0]?.text.includes('\r\n') ? '\r\n' : '\n';
  const finalEol = docs[0] && !/\n\s*$/.test(docs[0].text) ? '' : eol;
  const files = new Map<string, string>();
  const counts: Manifest['counts'] = {};
  plan.splitNames.forEach((name, s) => {
    const entries = plan.kept.filter((k) => k.split === s);
    files.set(`${name}.json`, splitText(entries, eol, finalEol));
    const byDifficulty: Record<string, number> = {};
    const videos = new Set<string>();
    let queries = 0;
    for (const k of entries) {
      const e = k.doc.raw[k.entry] as { video?: unknown; GRPO: Record<string, unknown>[] };
      videos.add(videoKey(String(e.video ?? '')));
      for (const j of k.queries) {
        const g = e.GRPO[j];
        const d = typeof g.difficulty === 'string' ? g.difficulty : g.r === true ? 'original' : 'unknown';
        byDifficulty[d] = (byDifficulty[d] ?? 0) + 1;
        queries++;
      }
    }
    counts[name] = { entries: entries.length, videos: videos.size, queries, byDifficulty };
  });
  const byReason: Record<string, number> = {};
  for (const d of plan.dropped) byReason[d.reason] = (byReason[d.reason] ?? 0) + 1;
  const droppedQueries = plan.dropped.filter((d) => d.query !== null).length;
  const manifest: Manifest = {
    tool: 'rarft export',
    created: new Date().toISOString(),
    inputs: docs.map((d) => ({
      file: d.path,
      sha256: d.sha256 ?? sha256(d.text),
      entries: d.raw.length,
      queries: d.entries.reduce((a, e) => a + e.queries.length, 0),
    })),
    ...meta,
    counts,
    kept: Object.values(counts).reduce((a, c) => a + c.queries, 0),
    dropped: { queries: droppedQueries, entries: plan.dropped.length - droppedQueries, byReason, items: plan.dropped },
    nearDuplicatesAcrossSplits: plan.leaks,
  };
  return { files, manifest };
}

/** Writes each output file atomically, the manifest last. Returns the paths written. */
export async function writeExport(dir: string, rendered: ReturnType<typeof renderExport>): Promise<string[]> {
  const written: string[] = [];
  for (const [name, text] of rendered.files) {
    const p = join(dir, name);
    await writeFileAtomic(p, text);
    written.push(p);
  }
  const m = join(dir, 'manifest.json');
  await writeFileAtomic(m, JSON.stringify(rendered.manifest, null, 2) + '\n');
  written.push(m);
  return written;
}
