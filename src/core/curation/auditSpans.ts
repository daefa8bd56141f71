/** Audit checks that need no model: span lengths and units, videos used twice, identical query texts. */
import type { Span } from '../text';
import { normaliseQuery, videoKey, type AnnoDoc } from './annoDoc';
import { finding, type Finding, type Ref } from './findings';

/** Frame rates a span in frames would most likely have been counted at. */
const FRAME_RATES = [25, 30, 24, 60];

function clip(s: string, n = 60): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/** Zero-length spans, spans past the duration, and spans that look like frame numbers. */
export function spanFindings(doc: AnnoDoc): Finding[] {
  const out: Finding[] = [];
  for (const e of doc.entries) {
    if (!e.timestamp) continue;
    const ref: Ref = { doc, path: [e.index, 'timestamp'] };
    const related = e.queries
      .filter((q) => q.r === true)
      .map((q): Ref => ({ doc, path: [e.index, 'GRPO', q.index, 'q'] }));
    const [s, t] = e.timestamp;
    if (s === t) {
      out.push(
        finding('zero-length-span', 'error', ref, related, `${e.video}: the GT span [${s}, ${t}] has zero length`),
      );
      continue;
    }
    if (e.duration === null || t <= e.duration) continue;
    const fps = framesSlip(e.timestamp, e.duration, doc.raw[e.index] as Record<string, unknown> | undefined);
    if (fps !== null) {
      const [a, b] = [s / fps, t / fps].map((x) => Math.round(x * 100) / 100);
      out.push(
        finding(
          'span-frames-slip',
          'warning',
          ref,
          related,
          `${e.video}: the GT span [${s}, ${t}] is past the duration ${e.duration} by about ${fps}×: frame numbers? At ${fps} fps it would be [${a}, ${b}] s`,
        ),
      );
    } else {
      out.push(
        finding(
          'span-past-duration',
          'warning',
          ref,
          related,
          `${e.video}: the GT span ends at ${t}, past the duration ${e.duration}`,
        ),
      );
    }
  }
  return out;
}

/**
 * The frame rate that would explain a span past the duration: the entry's own `fps` when it
 * has one, else a common rate whose division fits the span inside the video, preferring the
 * one that gives whole tenths of a second. Null when the span is only a little past the end, or not whole numbers.
 */
function framesSlip(span: Span, duration: number, raw: Record<string, unknown> | undefined): number | null {
  // Frame numbers are whole; a span with fractions past the end is a wrong duration or a typo.
  if (span[1] < duration * 3 || !Number.isInteger(span[0]) || !Number.isInteger(span[1])) return null;
  const own = typeof raw?.fps === 'number' && raw.fps > 1 ? [raw.fps] : FRAME_RATES;
  const fits = own.filter((f) => span[1] / f <= duration * 1.01);
  if (!fits.length) return null;
  // The rate that turns the span into the data's 0.1 s precision; ties go to the more common rate (list order).
  const off = (f: number) => span.reduce((a, x) => a + Math.abs((x / f) * 10 - Math.round((x / f) * 10)), 0);
  return fits.reduce((best, f) => (off(f) < off(best) - 1e-9 ? f : best));
}

/** Videos referenced by more than one entry, in one file or across files (matched by file name). */
export function videoReuseFindings(docs: readonly AnnoDoc[]): Finding[] {
  const byVideo = new Map<string, { doc: AnnoDoc; entry: number; video: string }[]>();
  for (const doc of docs)
    for (const e of doc.entries) {
      if (!e.video) continue;
      const k = videoKey(e.video);
      let list = byVideo.get(k);
      if (!list) byVideo.set(k, (list = []));
      list.push({ doc, entry: e.index, video: e.video });
    }
  const out: Finding[] = [];
  for (const [k, list] of byVideo) {
    if (list.length < 2) continue;
    const refs = list.map((x): Ref => ({ doc: x.doc, path: [x.entry, 'video'] }));
    const files = new Set(list.map((x) => x.doc.path));
    const paths = new Set(list.map((x) => x.video));
    const where = files.size > 1 ? `${files.size} files` : 'this file';
    // Across files (a train file and a test file) it is a leak; within one file a video often has several entries.
    const names = paths.size > 1 ? ` (as ${[...paths].map((p) => JSON.stringify(p)).join(', ')})` : '';
    out.push(
      finding(
        'video-reused',
        files.size > 1 ? 'warning' : 'info',
        refs[0],
        refs.slice(1),
        `${k} is referenced by ${list.length} entries in ${where}${names}: its queries must stay in one split`,
      ),
    );
  }
  return out;
}

/** A query with where it is, for the duplicate checks. */
export interface QueryAt {
  doc: AnnoDoc;
  entry: number;
  index: number;
  q: string;
  r: boolean | null;
  video: string;
}

/** Every query of the files, in file order. */
export function allQueries(docs: readonly AnnoDoc[]): QueryAt[] {
  const out: QueryAt[] = [];
  for (const doc of docs)
    for (const e of doc.entries)
      for (const q of e.queries)
        if (q.q) out.push({ doc, entry: e.index, index: q.index, q: q.q, r: q.r, video: videoKey(e.video) });
  return out;
}

/** The reference of a query's text. */
export function queryRef(q: QueryAt): Ref {
  return { doc: q.doc, path: [q.entry, 'GRPO', q.index, 'q'] };
}

/** Queries whose normalised texts are equal: a warning within a video, info across videos. */
export function textDuplicateFindings(queries: readonly QueryAt[]): Finding[] {
  const groups = new Map<string, QueryAt[]>();
  for (const q of queries) {
    const k = normaliseQuery(q.q);
    if (!k) continue;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(q);
  }
  const out: Finding[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const videos = new Set(g.map((q) => q.video));
    const within = videos.size < g.length;
    const scope =
      videos.size === 1
        ? `within ${g[0].video}`
        : within
          ? `in ${videos.size} videos, some more than once`
          : `across ${videos.size} videos`;
    out.push(
      finding(
        'duplicate-query-text',
        within ? 'warning' : 'info',
        queryRef(g[0]),
        g.slice(1).map(queryRef),
        `"${clip(g[0].q)}" occurs ${g.length} times (same text once case, spacing and punctuation are ignored) ${scope}`,
      ),
    );
  }
  return out;
}
