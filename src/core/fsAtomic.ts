/** Atomic file writes: a crash never leaves a half-written file behind. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Writes `data` to a temporary file next to `path`, then renames it over `path`. On failure the
 * temporary file is removed and the error (its `code` kept) names `path`, not the temporary file.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined); // ENOTDIR when a part of the folder path is a file
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'EISDIR'
        ? 'it is a folder'
        : err.code === 'EACCES' || err.code === 'EPERM'
          ? 'permission denied'
          : err.code === 'ENOSPC'
            ? 'no space left on the device'
            : err.code === 'ENOTDIR' || err.code === 'EEXIST'
              ? 'a part of its folder path is a file, not a folder'
              : err.code === 'ENOENT'
                ? 'its folder cannot be created'
                : err.message;
    throw Object.assign(new Error(`${path}: cannot write: ${why}`), { code: err.code, path });
  }
}

/** What a command writes; an existing file of that kind (ours) may be replaced. */
export type OutputKind = 'metrics' | 'evaluation-items' | 'rewards';

/** One output of a command, named by the option that gave it. */
export interface OutputSpec {
  option: string;
  path: string;
  kind: OutputKind;
}

/** One input of a command, named by the option (or argument) that gave it. */
export interface InputSpec {
  option: string;
  path: string;
}

/** An output that would destroy an input or a file that is not ours; the message names both. */
export class OutputRefused extends Error {}

/** The real path of a file that may not exist yet (its folder resolved, links followed). */
async function realPathOf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    try {
      return join(await realpath(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

/** Keys that mark each kind of our outputs in the first bytes of the file. */
const MARKERS: Record<OutputKind, RegExp> = {
  metrics: /^\s*\{[\s\S]*"num_items"\s*:/,
  'evaluation-items': /^\s*\[[\s\S]*"pred_relevant"\s*:/,
  rewards: /^\s*\[[\s\S]*"refuse_iou"\s*:[\s\S]*"explain_correction"\s*:/,
};

/** What an existing file at `path` is: absent, empty, ours of `kind`, or something else. */
async function existingKind(path: string, kind: OutputKind): Promise<'absent' | 'ours' | 'other' | 'folder'> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return 'absent';
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) return 'folder';
    if (!st.isFile()) return 'other';
    if (st.size === 0) return 'ours';
    const buf = Buffer.alloc(Math.min(st.size, 65536));
    await fh.read(buf, 0, buf.length, 0);
    return MARKERS[kind].test(buf.toString('utf8')) ? 'ours' : 'other';
  } finally {
    await fh.close();
  }
}

/**
 * Checks a command's outputs before it runs: two outputs on one file are refused always; an
 * output that is one of the inputs (same real path), or an existing file that is not an
 * output of ours of the same kind (an annotation file, a run), is refused unless `force`.
 */
export async function checkOutputs(outputs: OutputSpec[], inputs: InputSpec[], force = false): Promise<void> {
  const ins = await Promise.all(inputs.map(async (i) => ({ ...i, real: await realPathOf(i.path) })));
  const seen = new Map<string, OutputSpec>();
  for (const o of outputs) {
    const real = await realPathOf(o.path);
    const twice = seen.get(real);
    if (twice)
      throw new OutputRefused(
        `${twice.option} ${twice.path} and ${o.option} ${o.path} are the same file; give each its own`,
      );
    seen.set(real, o);
    const input = force ? undefined : ins.find((i) => i.real === real);
    if (input)
      throw new OutputRefused(
        `${o.option} ${o.path} is the input ${input.option} ${input.path} (the same file): writing would destroy it; name another file (or pass --force)`,
      );
    const existing = await existingKind(o.path, o.kind);
    if (existing === 'folder')
      throw Object.assign(new Error(`${o.path}: cannot write: it is a folder`), { code: 'EISDIR', path: o.path });
    if (force) continue;
    if (existing === 'other')
      throw new OutputRefused(
        `${o.option} ${o.path} exists and is not a ${o.kind} file written by rarft (an annotation file or a run?): ` +
          'refusing to overwrite it; name another file (or pass --force)',
      );
  }
}

/** Removes our temp files for `path` left by processes that no longer run (a kill -9). */
export async function clearStaleTemps(path: string): Promise<void> {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const m = n.startsWith(prefix) ? /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(n.slice(prefix.length)) : null;
    if (!m || alive(Number(m[1]))) continue;
    await rm(join(dir, n), { force: true });
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes related outputs so a reader never sees a mismatched pair: stale temp files are
 * cleared, the last file (the one that describes the others, e.g. metrics.json) is removed
 * first, then each file is written atomically in order, the last one last.
 */
export async function writeOutputs(files: { path: string; data: () => string | Uint8Array }[]): Promise<void> {
  for (const f of files) await clearStaleTemps(f.path);
  const last = files[files.length - 1];
  if (files.length > 1) await rm(last.path, { force: true });
  for (const f of files) await writeFileAtomic(f.path, f.data());
}
