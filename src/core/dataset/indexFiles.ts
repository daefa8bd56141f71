/**
 * The one indexing routine for the CLI and the extension: finds the JSON files (walk.ts),
 * reads each through a reader the caller gives (the file on disk, or an editor's unsaved
 * text), keeps our kinds, validates them and checks joins, with the same rules everywhere.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Problem } from '../problems';
import { checkJoins, indexText, summarize, type IndexedFile, type IndexResult } from './indexer';
import { placeProblems } from './place';
import { describeFsError, fileTypeName, findJsonFiles, sizeNote, type FoundFile, type SkippedPath } from './walk';

/** Reads a file's text (absolute path). */
export type TextReader = (path: string) => Promise<string>;

/** The file on disk, decoded in one piece (readFile(f, 'utf8') decodes chunk by chunk, measurably slower). */
export const readFromDisk: TextReader = async (path) => (await readFile(path)).toString('utf8');

const NAME_HINT = /(hi_vtg|anno|inference_results|metrics_items|metrics)/i;

/**
 * True when a text found inside a folder may be one of our files: a JSON array (every kind
 * but metrics), a metrics object, or one of our file names. Other JSON (package.json,
 * tsconfig.json, settings with comments) is left alone, valid or not.
 */
export function mayBeOurs(path: string, text: string): boolean {
  if (NAME_HINT.test(basename(path))) return true;
  const first = /^\uFEFF?\s*(\S)/.exec(text.slice(0, 4096))?.[1];
  if (first === '[') return true;
  return first === '{' && text.includes('"RA-IoU"');
}

/**
 * Indexes one found file's text: a file named itself is always indexed (kind `other` when
 * it is none of ours); one found in a folder only when it may be ours and is not `other`.
 */
export function indexFound(file: FoundFile, text: string, shownPath = file.path): IndexedFile | null {
  if (!file.explicit && !mayBeOurs(file.path, text)) return null;
  const r = indexText(shownPath, text);
  return r.kind === 'other' && !file.explicit ? null : r;
}

/** One file, read and indexed, or why it was left out. */
export type OneFile = { file: IndexedFile | null; skipped?: undefined } | { file?: undefined; skipped: SkippedPath };

/**
 * Reads and indexes one path as a folder walk would (the extension's re-index of a changed
 * file): not a regular file, too large or unreadable are notes, not errors.
 */
export async function indexOnePath(path: string, read: TextReader = readFromDisk, shownPath = path): Promise<OneFile> {
  try {
    const st = await stat(path);
    if (!st.isFile()) return { skipped: { path, reason: `${fileTypeName(st)}, not a regular file: skipped` } };
    const big = sizeNote(st);
    if (big) return { skipped: { path, reason: big } };
    return { file: indexFound({ path, explicit: false }, await read(path), shownPath) };
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    return { skipped: { path, reason: describeFsError(path, e).message.slice(path.length + 2) } };
  }
}

/** Options for indexing files. */
export interface IndexOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, file: string) => void;
  /** Show paths relative to this folder. */
  relativeTo?: string;
  /** How texts are read (default: the file on disk). */
  read?: TextReader;
}

/** Every found file indexed (no joins yet); `absolute` maps each result back to the path read. */
export async function indexFoundFiles(
  found: FoundFile[],
  options: IndexOptions = {},
): Promise<{ files: IndexedFile[]; skipped: SkippedPath[]; absolute: Map<IndexedFile, string> }> {
  const read = options.read ?? readFromDisk;
  const files: IndexedFile[] = [];
  const skipped: SkippedPath[] = [];
  const absolute = new Map<IndexedFile, string>();
  let done = 0;
  let slice = Date.now();
  for (const f of found) {
    options.signal?.throwIfAborted();
    const shown = options.relativeTo ? relativePath(options.relativeTo, f.path) : f.path;
    let text: string;
    try {
      text = await read(f.path);
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw e;
      if (f.explicit) throw describeFsError(f.path, e);
      skipped.push({ path: f.path, reason: describeFsError(f.path, e).message.slice(f.path.length + 2) });
      continue;
    }
    const r = indexFound(f, text, shown);
    if (r && r.kind !== 'other') {
      files.push(r);
      absolute.set(r, f.path);
    }
    options.onProgress?.(++done, found.length, f.path);
    // A turn of the event loop now and then keeps a host (the extension's) responsive.
    if (Date.now() - slice > 15) {
      await nextTurn();
      slice = Date.now();
    }
  }
  return { files, skipped, absolute };
}

/** Join problems of run files (checkJoins), placed in each file's text as `read` gives it. */
export async function placeJoins(
  files: IndexedFile[],
  read: TextReader = readFromDisk,
  absolute: (f: IndexedFile) => string = (f) => f.path,
): Promise<Map<IndexedFile, Problem[]>> {
  const out = new Map<IndexedFile, Problem[]>();
  for (const [file, pending] of checkJoins(files)) {
    out.set(file, placeProblems(file.path, await read(absolute(file)), pending));
  }
  return out;
}

/** Finds, reads, classifies and validates every JSON file under `paths`, then checks joins. */
export async function indexPaths(paths: string[], options: IndexOptions = {}): Promise<IndexResult> {
  const walk = await findJsonFiles(paths, options.signal);
  const r = await indexFoundFiles(walk.files, options);
  const joins = await placeJoins(r.files, options.read, (f) => r.absolute.get(f) ?? resolve(f.path));
  for (const [file, problems] of joins) file.problems.push(...problems);
  const skipped = walk.skipped.concat(r.skipped);
  const base = options.relativeTo && resolve(options.relativeTo);
  if (base)
    for (const s of skipped) {
      s.path = relativePath(base, s.path);
      s.reason = s.reason.split(`${base}/`).join('').replace(`as ${base} `, 'as . ');
    }
  return summarize(r.files, skipped);
}

function relativePath(from: string, to: string): string {
  const base = resolve(from);
  return to.startsWith(base + '/') ? to.slice(base.length + 1) : to;
}
