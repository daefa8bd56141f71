/**
 * An annotation file as curation sees it: its exact text, its entries as validation reads them,
 * and where each entry, query and query text sits in the text (to point at it, or to copy it
 * byte for byte).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { looksLikeAnnotations, readAnnotations } from '../dataset/annotations';
import type { VideoEntry } from '../dataset/model';
import {
  keyOf,
  LineIndex,
  locatePaths,
  parseJson,
  type JsonPath,
  type Located,
  type Position,
} from '../json/positions';

/** A curation input the user can fix: the message names the file (and line and column). */
export class CurationError extends Error {}

/** One annotation file, parsed, with positions. */
export interface AnnoDoc {
  /** The path as the user gave it (shown in messages and findings). */
  path: string;
  text: string;
  entries: VideoEntry[];
  /** The raw entries as parsed (every key kept), by entry index. */
  raw: unknown[];
  lines: LineIndex;
  /** Where `[i]`, `[i, 'GRPO']`, `[i, 'GRPO', j]` and `[i, 'GRPO', j, 'q']` sit; see `at`. */
  located: Map<string, Located>;
  /** sha256 of the file's bytes (when read from disk). */
  sha256?: string;
}

/** Parses annotation text; invalid JSON or another kind of file is a CurationError naming the place. */
export function parseAnnoDoc(path: string, text: string): AnnoDoc {
  const parsed = parseJson(text);
  const lines = new LineIndex(text);
  if (!parsed.ok) {
    const p = lines.position(parsed.offset);
    throw new CurationError(`${path}:${p.line}:${p.column}: not valid JSON: ${parsed.message}`);
  }
  if (!looksLikeAnnotations(parsed.value))
    throw new CurationError(`${path}: not an annotation file (expected a JSON array of videos with "GRPO" queries)`);
  const raw = parsed.value as unknown[];
  const { entries } = readAnnotations(raw);
  const wanted: JsonPath[] = [];
  raw.forEach((e, i) => {
    wanted.push([i], [i, 'GRPO'], [i, 'video'], [i, 'timestamp'], [i, 'duration']);
    const g = (e as { GRPO?: unknown })?.GRPO;
    if (Array.isArray(g)) for (let j = 0; j < g.length; j++) wanted.push([i, 'GRPO', j], [i, 'GRPO', j, 'q']);
  });
  return { path, text, entries, raw, lines, located: locatePaths(text, wanted) };
}

/** Reads and parses an annotation file. */
export async function loadAnnoDoc(path: string): Promise<AnnoDoc> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CurationError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, expected a JSON file' : (e as Error).message}`,
    );
  }
  const doc = parseAnnoDoc(path, bytes.toString('utf8'));
  doc.sha256 = createHash('sha256').update(bytes).digest('hex');
  return doc;
}

/** Where a path sits, falling back to the nearest located ancestor (the file start at worst). */
export function at(doc: AnnoDoc, path: JsonPath): Located {
  for (let k = path.length; k >= 0; k--) {
    const l = doc.located.get(keyOf(path.slice(0, k)));
    if (l) return l;
  }
  return { offset: 0, length: 0 };
}

/** 1-based line and column of a path's value. */
export function positionOf(doc: AnnoDoc, path: JsonPath): Position {
  return doc.lines.position(at(doc, path).offset);
}

/** The exact text of a path's value (byte for byte as in the file). */
export function sliceOf(doc: AnnoDoc, path: JsonPath): string {
  const l = at(doc, path);
  return doc.text.slice(l.offset, l.offset + l.length);
}

/**
 * How a video is identified across files: its file name. The same clip recorded under two
 * prefixes (`/data/x/E6DLK.mp4`, `videos/E6DLK.mp4`) is one video for reuse checks and splits.
 */
export function videoKey(video: string): string {
  const i = Math.max(video.lastIndexOf('/'), video.lastIndexOf('\\'));
  return i >= 0 ? video.slice(i + 1) : video;
}

/** Normalised query text: Unicode-compatible lower case, letters and digits only, single spaces. */
export function normaliseQuery(q: string): string {
  return q
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
