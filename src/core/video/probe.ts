/**
 * ffprobe: the argument list, reading its JSON, and deciding whether a webview can play a
 * file as it is, after a remux (container or audio only), or only after a transcode.
 */

/** What the inspector needs to know about a video file. */
export interface ProbeInfo {
  /** ffprobe's format names, e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  format: string;
  duration: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  width: number | null;
  height: number | null;
}

/** How to make a file playable in a VS Code webview. */
export type PlayPlan = 'direct' | 'remux' | 'transcode';

/** ffprobe arguments (an argument array, never a shell string). */
export function ffprobeArgs(file: string): string[] {
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '--', file];
}

/** Reads ffprobe's `-print_format json` output. Throws on text that is not its JSON. */
export function parseProbe(json: string): ProbeInfo {
  const v = JSON.parse(json) as { format?: Record<string, unknown>; streams?: Record<string, unknown>[] };
  if (typeof v !== 'object' || v === null) throw new Error('ffprobe printed no JSON object');
  const streams = Array.isArray(v.streams) ? v.streams : [];
  const video = streams.find(
    (s) => s.codec_type === 'video' && !(s.disposition as Record<string, number> | undefined)?.attached_pic,
  );
  const audio = streams.find((s) => s.codec_type === 'audio');
  const num = (x: unknown) =>
    typeof x === 'number'
      ? x
      : typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x))
        ? Number(x)
        : null;
  return {
    format: typeof v.format?.format_name === 'string' ? v.format.format_name : '',
    duration: num(v.format?.duration) ?? num(video?.duration),
    videoCodec: typeof video?.codec_name === 'string' ? video.codec_name : null,
    audioCodec: typeof audio?.codec_name === 'string' ? audio.codec_name : null,
    width: num(video?.width),
    height: num(video?.height),
  };
}

/** Video codecs every VS Code webview plays (MACHINE-NOTES: H.264 and VP8; not HEVC, not VP9 everywhere). */
const PLAYABLE_VIDEO = new Set(['h264', 'vp8']);
/** Audio a webview plays everywhere (AAC is missing from some desktop builds). */
const PLAYABLE_AUDIO = new Set(['opus', 'vorbis']);

/**
 * Direct when the container is MP4/WebM and the codecs play everywhere; remux (copy the
 * video, drop the audio) when only the container or the audio is the problem; else transcode.
 */
export function playPlan(info: ProbeInfo): PlayPlan {
  if (!info.videoCodec) return 'transcode';
  const videoOk = PLAYABLE_VIDEO.has(info.videoCodec);
  const audioOk = info.audioCodec === null || PLAYABLE_AUDIO.has(info.audioCodec);
  if (!videoOk) return 'transcode';
  // ffprobe names MP4 and MOV alike and Matroska and WebM alike: MP4 holds H.264, WebM holds VP8.
  const containerOk = info.videoCodec === 'h264' ? /\bmp4\b/.test(info.format) : /\bwebm\b/.test(info.format);
  return containerOk && audioOk ? 'direct' : 'remux';
}

/** Error thrown when the ffprobe/ffmpeg executable cannot be started (not installed). */
export class ToolMissingError extends Error {
  constructor(readonly tool: string) {
    super(`${tool} was not found; install ffmpeg (which brings ffprobe) or set its path`);
    this.name = 'ToolMissingError';
  }
}

/** Runs ffprobe on a file. Throws ToolMissingError when ffprobe cannot be started. */
export async function probeVideo(ffprobe: string, file: string, signal?: AbortSignal): Promise<ProbeInfo> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(ffprobe, ffprobeArgs(file), { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      if (err.length < 4000) err += c;
    });
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new ToolMissingError('ffprobe') : e));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ffprobe could not read ${file}: ${err.trim() || `exit ${code}`}`));
      try {
        resolvePromise(parseProbe(out));
      } catch (e) {
        reject(e);
      }
    });
  });
}
