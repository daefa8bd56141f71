/**
 * Downloads a sentence-transformers ONNX export from a Hugging Face hub (or a mirror with the
 * same URL layout): sizes and hashes from `{base}/api/models/{repo}/tree/{revision}?recursive=1`,
 * files from `{base}/{repo}/resolve/{revision}/{path}`. Partial files are resumed with Range,
 * checked against the size and hash (sha256 for LFS files, the git blob id for others) and
 * renamed into place only when they match.
 */
import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, rename, rm, stat, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { retryAfterMs, withRetries } from '../judge/retry';

/** Files a sentence-transformers ONNX export needs. */
export const REQUIRED_FILES = ['onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json', 'config.json'] as const;
/** Fetched when the repository has them (input limit, special tokens). */
export const OPTIONAL_FILES = ['special_tokens_map.json', 'sentence_bert_config.json'] as const;
export const DEFAULT_HUB = 'https://huggingface.co';

/** One file entry of the hub's tree API. */
export interface TreeEntry {
  type?: string;
  path: string;
  size: number;
  oid?: string;
  lfs?: { oid: string; size: number };
}

/** Progress of a download, in bytes. */
export interface DownloadProgress {
  file: string;
  fileBytes: number;
  fileTotal: number;
  bytes: number;
  total: number;
}

/** Options of `downloadModel`. */
export interface DownloadOptions {
  /** `all-MiniLM-L6-v2` (under sentence-transformers/) or `owner/name`. */
  name: string;
  /** Destination folder. */
  to: string;
  baseUrl?: string;
  revision?: string;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Attempts per file when a connection drops or the server fails (default 4). */
  attempts?: number;
  /** First backoff wait between attempts, doubled each time (default 300 ms). */
  retryDelayMs?: number;
  /** How long to wait for a server's answer, and for more bytes of a file (default 30 s). */
  timeoutMs?: number;
}

/** Default of `DownloadOptions.timeoutMs`. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** What was downloaded. */
export interface DownloadResult {
  repo: string;
  dir: string;
  files: { path: string; size: number; skipped: boolean }[];
}

/** A download failure with a message for the user. */
export class DownloadError extends Error {
  override name = 'DownloadError';
  /** True when trying again may help (a dropped connection, a 5xx, a 429). */
  constructor(
    message: string,
    readonly retry = false,
    /** The wait the server asked for (Retry-After), if any. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** `all-MiniLM-L6-v2` → `sentence-transformers/all-MiniLM-L6-v2`; `owner/name` stays. */
export function repoOf(name: string): string {
  const n = name.trim();
  if (!/^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(n) || n.includes('..'))
    throw new DownloadError(`not a model name: '${name}' (expected e.g. all-MiniLM-L6-v2 or owner/name)`);
  return n.includes('/') ? n : `sentence-transformers/${n}`;
}

const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');

function baseOf(url: string | undefined): string {
  return (url ?? DEFAULT_HUB).replace(/\/+$/, '');
}

/**
 * A fetch signal that also fires when the server stays silent for `ms`: `arm()` restarts the
 * wait (for the answer, then for each chunk of the body); `timedOut` says which one fired.
 */
function silenceGuard(signal: AbortSignal | undefined, ms: number) {
  const c = new AbortController();
  const onAbort = () => c.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const g = {
    signal: c.signal,
    timedOut: false,
    arm() {
      clearTimeout(timer);
      timer = setTimeout(() => {
        g.timedOut = true;
        c.abort(new DownloadError('timed out'));
      }, ms);
    },
    dispose() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
  g.arm();
  return g;
}

const seconds = (ms: number) => `${+(ms / 1000).toFixed(3)} s`;

/** Reads the repository's file list (sizes and hashes). */
export async function fetchTree(
  repo: string,
  baseUrl?: string,
  revision = 'main',
  signal?: AbortSignal,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<TreeEntry[]> {
  const url = `${baseOf(baseUrl)}/api/models/${repo}/tree/${encodeURIComponent(revision)}?recursive=1`;
  const guard = silenceGuard(signal, timeoutMs);
  let res: Response;
  let body: unknown;
  try {
    res = await fetch(url, { signal: guard.signal, headers: { accept: 'application/json' } });
    if (res.status === 404 || res.status === 401)
      throw new DownloadError(`${repo} (revision ${revision}) is not on ${baseOf(baseUrl)} (HTTP ${res.status})`);
    if (!res.ok) throw new DownloadError(`${url}: HTTP ${res.status}`);
    body = await res.json();
  } catch (e) {
    if (guard.timedOut)
      throw new DownloadError(`no answer from ${url} within ${seconds(timeoutMs)} (is the hub or mirror up?)`);
    if ((e as Error)?.name === 'AbortError' || e instanceof DownloadError) throw e;
    if (e instanceof SyntaxError) throw new DownloadError(`${url}: expected a JSON array of files`);
    throw new DownloadError(
      `cannot reach ${url}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`,
    );
  } finally {
    guard.dispose();
  }
  if (!Array.isArray(body)) throw new DownloadError(`${url}: expected a JSON array of files`);
  return body.filter(
    (e): e is TreeEntry => typeof e?.path === 'string' && typeof e?.size === 'number' && e?.type !== 'directory',
  );
}

/** The hash a file is checked against: sha256 for LFS files, else git's blob sha1. */
function expectedHash(entry: TreeEntry): { algo: 'sha256' | 'git-sha1'; hex: string } | null {
  if (entry.lfs?.oid) return { algo: 'sha256', hex: entry.lfs.oid.replace(/^sha256:/, '').toLowerCase() };
  if (entry.oid && /^[0-9a-f]{40}$/i.test(entry.oid)) return { algo: 'git-sha1', hex: entry.oid.toLowerCase() };
  return null;
}

function newHasher(entry: TreeEntry, size: number): Hash {
  const exp = expectedHash(entry);
  if (exp?.algo === 'git-sha1') return createHash('sha1').update(`blob ${size}\0`);
  return createHash('sha256');
}

const sizeOf = (e: TreeEntry) => e.lfs?.size ?? e.size;

async function fileSize(p: string): Promise<number | null> {
  try {
    return (await stat(p)).size;
  } catch {
    return null;
  }
}

/** True when the file on disk has the entry's size and hash. */
async function isComplete(path: string, entry: TreeEntry): Promise<boolean> {
  if ((await fileSize(path)) !== sizeOf(entry)) return false;
  const exp = expectedHash(entry);
  if (!exp) return true;
  const h = newHasher(entry, sizeOf(entry));
  h.update(await readFile(path));
  return h.digest('hex') === exp.hex;
}

/** Downloads the model's files into `opts.to`; resumes, verifies, renames into place. */
export async function downloadModel(opts: DownloadOptions): Promise<DownloadResult> {
  const repo = repoOf(opts.name);
  const revision = opts.revision ?? 'main';
  const tree = await fetchTree(repo, opts.baseUrl, revision, opts.signal, opts.timeoutMs);
  const byPath = new Map(tree.map((e) => [e.path, e]));
  const missing = REQUIRED_FILES.filter((p) => !byPath.has(p));
  if (missing.length)
    throw new DownloadError(`${repo} has no ${missing.join(', ')}: not a sentence-transformers ONNX export`);
  const wanted = [...REQUIRED_FILES, ...OPTIONAL_FILES].filter((p) => byPath.has(p)).map((p) => byPath.get(p)!);
  const total = wanted.reduce((n, e) => n + sizeOf(e), 0);
  let done = 0;
  const files: DownloadResult['files'] = [];
  for (const entry of wanted) {
    opts.signal?.throwIfAborted();
    const dest = join(opts.to, entry.path);
    const size = sizeOf(entry);
    if (await isComplete(dest, entry)) {
      done += size;
      opts.onProgress?.({ file: entry.path, fileBytes: size, fileTotal: size, bytes: done, total });
      files.push({ path: entry.path, size, skipped: true });
      continue;
    }
    const url = `${baseOf(opts.baseUrl)}/${repo}/resolve/${encodeURIComponent(revision)}/${encodePath(entry.path)}`;
    const base = done;
    await downloadFile(url, dest, entry, opts, (n) =>
      opts.onProgress?.({ file: entry.path, fileBytes: n, fileTotal: size, bytes: base + n, total }),
    );
    done += size;
    files.push({ path: entry.path, size, skipped: false });
  }
  return { repo, dir: opts.to, files };
}

async function downloadFile(
  url: string,
  dest: string,
  entry: TreeEntry,
  opts: DownloadOptions,
  progress: (n: number) => void,
): Promise<void> {
  const size = sizeOf(entry);
  const part = `${dest}.part`;
  await mkdir(dirname(dest), { recursive: true });
  const attempts = Math.max(1, opts.attempts ?? 4);
  try {
    await withRetries(
      async () => {
        let have = (await fileSize(part)) ?? 0;
        if (have > size) {
          await rm(part, { force: true });
          have = 0;
        }
        if (have < size)
          await fetchInto(url, part, have, size, opts.signal, progress, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      },
      (e) =>
        e instanceof DownloadError && e.retry
          ? { retry: true, reason: e.message, delayMs: e.retryAfterMs }
          : { retry: false },
      { maxRetries: attempts - 1, baseDelayMs: opts.retryDelayMs ?? 300, maxDelayMs: 30_000 },
      opts.signal,
    );
  } catch (e) {
    if (e instanceof DownloadError && e.retry)
      throw new DownloadError(`${entry.path}: download failed after ${attempts} attempts: ${e.message}`);
    throw e;
  }
  const got = (await fileSize(part)) ?? 0;
  if (got !== size) {
    await rm(part, { force: true });
    throw new DownloadError(`${entry.path}: expected ${size} bytes, got ${got}; the partial file was removed`);
  }
  const exp = expectedHash(entry);
  if (exp) {
    const h = newHasher(entry, size);
    h.update(await readFile(part));
    const hex = h.digest('hex');
    if (hex !== exp.hex) {
      await rm(part, { force: true });
      throw new DownloadError(
        `${entry.path}: ${exp.algo === 'sha256' ? 'sha256' : 'git blob id'} mismatch (expected ${exp.hex}, got ${hex}); ` +
          'the file was not kept — the mirror or connection gave corrupted data, try again',
      );
    }
  }
  await rename(part, dest);
}

/** Appends bytes `from..size` of `url` to `part`; restarts from 0 when the server ignores Range. */
async function fetchInto(
  url: string,
  part: string,
  from: number,
  size: number,
  signal: AbortSignal | undefined,
  progress: (n: number) => void,
  timeoutMs: number,
): Promise<void> {
  const guard = silenceGuard(signal, timeoutMs);
  try {
    let res: Response;
    try {
      res = await fetch(url, { signal: guard.signal, headers: from > 0 ? { range: `bytes=${from}-` } : {} });
    } catch (e) {
      if (guard.timedOut) throw new DownloadError(`no answer from ${url} within ${seconds(timeoutMs)}`, true);
      if ((e as Error)?.name === 'AbortError') throw e;
      throw new DownloadError(
        `cannot reach ${url}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`,
        true,
      );
    }
    if (res.status === 416 && from === size) return;
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      throw new DownloadError(
        `${url}: HTTP ${res.status}`,
        res.status >= 500 || res.status === 429,
        retryAfterMs(res.headers),
      );
    }
    const append = res.status === 206 && from > 0;
    const fh = await open(part, append ? 'a' : 'w');
    let n = append ? from : 0;
    try {
      if (!res.body) throw new DownloadError(`${url}: empty response`);
      guard.arm();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        await fh.write(chunk);
        n += chunk.length;
        progress(n);
        guard.arm();
      }
    } catch (e) {
      if (guard.timedOut)
        throw new DownloadError(
          `connection stalled after ${n} of ${size} bytes: no data for ${seconds(timeoutMs)}`,
          true,
        );
      if ((e as Error)?.name === 'AbortError') throw e;
      throw new DownloadError(`connection dropped after ${n} of ${size} bytes: ${(e as Error).message}`, true);
    } finally {
      await fh.close();
    }
    if (n < size) throw new DownloadError(`connection closed after ${n} of ${size} bytes`, true);
  } finally {
    guard.dispose();
  }
}
