/** Atomic file writes: a crash never leaves a half-written file behind. */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

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
    await rm(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'EISDIR'
        ? 'it is a folder'
        : err.code === 'EACCES' || err.code === 'EPERM'
          ? 'permission denied'
          : err.code === 'ENOSPC'
            ? 'no space left on the device'
            : err.message;
    throw Object.assign(new Error(`${path}: cannot write: ${why}`), { code: err.code, path });
  }
}
