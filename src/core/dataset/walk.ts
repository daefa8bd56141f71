/**
 * Finds the JSON files under files and folders: each real file once (by device and inode,
 * so symbolic-link loops and duplicate links cost nothing), only regular files, the same
 * skipped folders for the CLI and the extension, and a note for everything left out.
 */
import type { Dirent, Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';

/** Folders never searched: tools' and version control's own, and the judge's cache. */
export const SKIPPED_FOLDERS: readonly string[] = [
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.rarft-cache',
  '.vscode-test',
];

const SKIPPED = new Set(SKIPPED_FOLDERS);

/**
 * The largest file read (512 MB): a JavaScript string cannot hold much more (V8's limit is
 * 2^29 − 24 characters), so a larger file is skipped with a note instead of failing.
 */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** A path left out, and why, in words for people. */
export interface SkippedPath {
  path: string;
  reason: string;
}

/** A JSON file to index; `explicit` when it was named itself (not found inside a folder). */
export interface FoundFile {
  path: string;
  explicit: boolean;
}

/** What a walk found. */
export interface WalkResult {
  files: FoundFile[];
  skipped: SkippedPath[];
}

/** A path that cannot be indexed at all (missing, a link loop, unreadable), in our words. */
export class PathError extends Error {
  constructor(
    readonly path: string,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** True when a path lies inside a skipped folder (checked on the part below `root`, if given). */
export function isSkippedPath(path: string, root?: string): boolean {
  const inside = root && path.startsWith(resolve(root) + sep) ? path.slice(resolve(root).length + 1) : path;
  return inside.split(/[\\/]/).some((part) => SKIPPED.has(part));
}

/** Whether a name is a JSON file's (`.json`, any case). */
export function isJsonName(name: string): boolean {
  return name.toLowerCase().endsWith('.json');
}

/** What a non-regular file is, for the note that skips it. */
export function fileTypeName(st: Stats | Dirent): string {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** A system error on a path, said in our words (ENOENT, ELOOP, EACCES, …). */
export function describeFsError(path: string, e: unknown): PathError {
  const err = e as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOENT: 'no such file or folder',
    ELOOP: 'a symbolic link that loops (it points back at itself, through one or more links)',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'a part of this path is a file, not a folder',
    ENAMETOOLONG: 'the path is too long',
    EISDIR: 'a folder, not a file',
    EMFILE: 'too many open files',
  };
  const said = (err?.code && words[err.code]) ?? `cannot be read (${err?.code ?? String(e)})`;
  return new PathError(path, `${path}: ${said}`, err?.code);
}

/** Why a regular file is skipped before reading it (too large), or null. */
export function sizeNote(st: Stats): string | null {
  return st.size > MAX_FILE_BYTES
    ? `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB (${(st.size / 1e6).toFixed(0)} MB): too large to read as text`
    : null;
}

class Walker {
  readonly files: FoundFile[] = [];
  readonly skipped: SkippedPath[] = [];
  private readonly seen = new Map<string, string>();

  constructor(private readonly signal?: AbortSignal) {}

  /** Records a real file or folder; returns the path it was first seen at when it is a repeat. */
  private firstSeen(st: Stats, path: string): string | undefined {
    const id = `${st.dev}:${st.ino}`;
    const first = this.seen.get(id);
    if (first === undefined) this.seen.set(id, path);
    return first;
  }

  async root(p: string): Promise<void> {
    let st: Stats;
    try {
      st = await stat(p);
    } catch (e) {
      throw describeFsError(p, e);
    }
    if (st.isDirectory()) {
      if (this.firstSeen(st, p) === undefined) await this.folder(p);
    } else this.file(p, st, true);
  }

  private file(path: string, st: Stats, explicit: boolean): void {
    if (!st.isFile()) {
      this.skipped.push({ path, reason: `${fileTypeName(st)}, not a regular file: skipped` });
      return;
    }
    const first = this.firstSeen(st, path);
    if (first !== undefined) {
      this.skipped.push({ path, reason: `the same file as ${first} (a link): indexed once` });
      return;
    }
    const big = sizeNote(st);
    if (big) this.skipped.push({ path, reason: big });
    else this.files.push({ path, explicit });
  }

  private async folder(dir: string): Promise<void> {
    this.signal?.throwIfAborted();
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      this.skipped.push({ path: dir, reason: describeFsError(dir, e).message.slice(dir.length + 2) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of entries) {
      if (SKIPPED.has(d.name)) continue;
      const child = join(dir, d.name);
      // Only folders, links and .json names need a stat; a regular file's type is in its entry.
      if (!d.isDirectory() && !d.isSymbolicLink() && !isJsonName(d.name)) continue;
      let st: Stats;
      try {
        st = await stat(child);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        const reason =
          err.code === 'ENOENT' && d.isSymbolicLink()
            ? 'a symbolic link to nothing (broken link)'
            : describeFsError(child, e).message.slice(child.length + 2);
        this.skipped.push({ path: child, reason });
        continue;
      }
      if (st.isDirectory()) {
        const first = this.firstSeen(st, child);
        if (first === undefined) await this.folder(child);
        else
          this.skipped.push({
            path: child,
            reason: `the same folder as ${first} (a link${child.startsWith(first + sep) ? ' back into itself: a loop' : ''}): searched once`,
          });
      } else if (isJsonName(d.name)) this.file(child, st, false);
    }
  }
}

/**
 * Every `.json` file under the given files and folders, each real file once, in path order.
 * A named path that does not exist or cannot be read throws a `PathError`; inside folders,
 * what cannot be read, is not a regular file, or repeats a file already found is noted in
 * `skipped` instead.
 */
export async function findJsonFiles(paths: string[], signal?: AbortSignal): Promise<WalkResult> {
  const w = new Walker(signal);
  for (const p of paths) await w.root(resolve(p));
  w.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: w.files, skipped: w.skipped };
}
