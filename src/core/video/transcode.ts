/**
 * Transcoding for the webview: ffmpeg arguments, the cache file name, and one run of ffmpeg
 * with progress and cancellation. Results are written to a part file and renamed, so a
 * cancelled or failed run never leaves a broken cache entry.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolMissingError, type PlayPlan } from './probe';

/** Bumped when the ffmpeg arguments change, so old cache entries are not reused. */
const CACHE_VERSION = 1;

/** ffmpeg arguments turning `input` into a webview-playable H.264 MP4 at `output` (no audio). */
export function ffmpegArgs(input: string, output: string, plan: Exclude<PlayPlan, 'direct'>): string[] {
  const video =
    plan === 'remux'
      ? ['-c:v', 'copy']
      : [
          '-c:v',
          'libx264',
          '-preset',
          'veryfast',
          '-crf',
          '23',
          '-pix_fmt',
          'yuv420p',
          '-vf',
          'scale=trunc(iw/2)*2:trunc(ih/2)*2',
        ];
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-v',
    'error',
    '-i',
    input,
    '-map',
    '0:v:0',
    ...video,
    '-an',
    '-movflags',
    '+faststart',
    '-progress',
    'pipe:1',
    '-f',
    'mp4',
    output,
  ];
}

/** The cache file for a source file version (path, size and modification time). */
export function cacheFileName(source: string, size: number, mtimeMs: number, plan: PlayPlan): string {
  const h = createHash('sha256')
    .update(`${CACHE_VERSION}\0${plan}\0${source}\0${size}\0${Math.round(mtimeMs)}`)
    .digest('hex')
    .slice(0, 24);
  return `${h}.mp4`;
}

/** Reads `out_time_us=` / `out_time_ms=` lines of `-progress` output; seconds or null. */
export function progressSeconds(line: string): number | null {
  const m = /^out_time_(?:us|ms)=(\d+)/.exec(line.trim());
  return m ? Number(m[1]) / 1e6 : null;
}

/** Options of `transcodeCached`. */
export interface TranscodeOptions {
  ffmpeg: string;
  cacheDir: string;
  plan: Exclude<PlayPlan, 'direct'>;
  /** Source duration in seconds, for the fraction reported. */
  duration?: number | null;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** Where a cached transcode of `source` is, without creating it; null when there is none yet. */
export async function cachedTranscode(source: string, cacheDir: string, plan: PlayPlan): Promise<string | null> {
  const st = await stat(source);
  const out = join(cacheDir, cacheFileName(source, st.size, st.mtimeMs, plan));
  try {
    await stat(out);
    return out;
  } catch {
    return null;
  }
}

/** Transcodes once: returns the cached file, running ffmpeg only when the cache lacks it. */
export async function transcodeCached(source: string, opts: TranscodeOptions): Promise<string> {
  const st = await stat(source);
  const out = join(opts.cacheDir, cacheFileName(source, st.size, st.mtimeMs, opts.plan));
  try {
    await stat(out);
    return out;
  } catch {
    /* not cached yet */
  }
  await mkdir(opts.cacheDir, { recursive: true });
  const part = `${out}.${process.pid}.${Date.now()}.part`;
  try {
    await runFfmpeg(opts.ffmpeg, ffmpegArgs(source, part, opts.plan), opts);
    await rename(part, out);
  } catch (e) {
    await rm(part, { force: true });
    throw e;
  }
  return out;
}

function runFfmpeg(ffmpeg: string, args: string[], opts: TranscodeOptions): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    opts.signal?.throwIfAborted();
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let buf = '';
    const onAbort = () => child.kill('SIGKILL');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const t = progressSeconds(buf.slice(0, i));
        buf = buf.slice(i + 1);
        if (t !== null && opts.duration) opts.onProgress?.(Math.min(1, t / opts.duration));
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 8000) stderr += chunk;
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(e.code === 'ENOENT' ? new ToolMissingError('ffmpeg') : e);
    });
    child.on('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (opts.signal?.aborted)
        reject(opts.signal.reason ?? Object.assign(new Error('cancelled'), { name: 'AbortError' }));
      else if (code === 0) resolvePromise();
      else
        reject(
          new Error(
            `ffmpeg failed (${sig ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' ') || 'no message'}`,
          ),
        );
    });
  });
}
