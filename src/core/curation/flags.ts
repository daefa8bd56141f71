/**
 * Flags and tags on samples, kept beside the data in `<root>/.rarft/flags.json` so the dataset
 * itself stays clean. A flag names its sample by identity (file, video, query), never by
 * position, so it survives entries being moved, inserted or removed.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { writeFileAtomic } from '../fsAtomic';
import { LineIndex, parseJson } from '../json/positions';
import { CurationError } from './annoDoc';

/** The tags offered first; any other short text is a free-form tag. */
export const FLAG_TAGS = ['needs-review', 'bad-video', 'ambiguous', 'duplicate'] as const;

/** A flag on one query, or (query null) on a whole video entry of a file. */
export interface Flag {
  /** The annotation file, relative to the root, with `/` separators. */
  file: string;
  video: string;
  query: string | null;
  tag: string;
  note?: string;
  /** ISO time the flag was set (or its note last changed). */
  created: string;
}

/** Identity of a sample (a query; query null for a whole video). */
export interface SampleIdentity {
  file: string;
  video: string;
  query: string | null;
}

const VERSION = 1;

/** Where the flags of a workspace (or any folder) live. */
export function flagsPath(root: string): string {
  return join(root, '.rarft', 'flags.json');
}

/** A file path as flags name it: relative to the root when inside it, always with `/`. */
export function flagFileName(root: string, file: string): string {
  const rel = isAbsolute(file) ? relative(root, file) : relative(root, join(root, file));
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  return (inside ? rel : file).split(sep).join('/');
}

/** A tag is valid when it is non-empty, one line and at most 64 characters. */
export function checkTag(tag: string): string | null {
  const t = tag.trim();
  if (!t) return 'a tag cannot be empty';
  if (/[\r\n]/.test(t)) return 'a tag is one line';
  if (t.length > 64) return 'a tag is at most 64 characters (put longer text in the note)';
  return null;
}

/** Parses flags.json text; a malformed file is a CurationError with line and column, never silently emptied. */
export function parseFlags(path: string, text: string): Flag[] {
  const r = parseJson(text);
  if (!r.ok) {
    const p = new LineIndex(text).position(r.offset);
    throw new CurationError(`${path}:${p.line}:${p.column}: not valid JSON: ${r.message}`);
  }
  const v = r.value as { version?: unknown; flags?: unknown };
  if (typeof v !== 'object' || v === null || !Array.isArray(v.flags))
    throw new CurationError(`${path}: expected {"version": 1, "flags": [...]}`);
  if (v.version !== VERSION)
    throw new CurationError(`${path}: flags file version ${JSON.stringify(v.version)} is not supported (expected 1)`);
  return v.flags.map((f, i) => {
    const o = f as Record<string, unknown>;
    const ok =
      typeof o === 'object' &&
      o !== null &&
      typeof o.file === 'string' &&
      typeof o.video === 'string' &&
      (o.query === null || typeof o.query === 'string') &&
      typeof o.tag === 'string' &&
      (o.note === undefined || typeof o.note === 'string');
    if (!ok) throw new CurationError(`${path}: flag ${i} should have file, video, query (string or null) and tag`);
    const flag: Flag = {
      file: o.file as string,
      video: o.video as string,
      query: o.query as string | null,
      tag: o.tag as string,
      created: typeof o.created === 'string' ? o.created : '',
    };
    if (typeof o.note === 'string') flag.note = o.note;
    return flag;
  });
}

/** Reads the flags under `root`; none when the file does not exist. */
export async function readFlags(root: string): Promise<Flag[]> {
  const path = flagsPath(root);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return parseFlags(path, text);
}

function compareFlags(a: Flag, b: Flag): number {
  return (
    a.file.localeCompare(b.file) ||
    a.video.localeCompare(b.video) ||
    (a.query ?? '').localeCompare(b.query ?? '') ||
    a.tag.localeCompare(b.tag)
  );
}

/** Writes the flags atomically, sorted, one stable layout (small diffs under version control). */
export async function writeFlags(root: string, flags: readonly Flag[]): Promise<void> {
  const sorted = [...flags].sort(compareFlags);
  await writeFileAtomic(flagsPath(root), JSON.stringify({ version: VERSION, flags: sorted }, null, 2) + '\n');
}

function sameSample(a: SampleIdentity, b: SampleIdentity): boolean {
  return a.file === b.file && a.video === b.video && a.query === b.query;
}

/** The flags with `flag` set: an existing flag of the same sample and tag gets the new note. */
export function withFlag(flags: readonly Flag[], flag: Flag): Flag[] {
  const tag = flag.tag.trim();
  const rest = flags.filter((f) => !(sameSample(f, flag) && f.tag === tag));
  return [...rest, { ...flag, tag }];
}

/** The flags without those of a sample (only `tag`'s when given), and how many went. */
export function withoutFlags(
  flags: readonly Flag[],
  id: SampleIdentity,
  tag?: string,
): { flags: Flag[]; removed: number } {
  const kept = flags.filter((f) => !(sameSample(f, id) && (tag === undefined || f.tag === tag)));
  return { flags: kept, removed: flags.length - kept.length };
}

/** Flags that apply to a query: its own and those of its whole video in that file. */
export function flagsOf(flags: readonly Flag[], id: SampleIdentity): Flag[] {
  return flags.filter((f) => f.file === id.file && f.video === id.video && (f.query === null || f.query === id.query));
}

/** Reads, changes and writes the flags under `root` in one step. */
export async function updateFlags(root: string, change: (flags: Flag[]) => Flag[]): Promise<Flag[]> {
  const next = change(await readFlags(root));
  await writeFlags(root, next);
  return next;
}
