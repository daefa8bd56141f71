/**
 * Video roots: the paths recorded in the data (`/data/.../Charades_v1/E6DLK.mp4`) mapped to
 * local folders through a prefix → folder table (the `rarft.videoRoots` setting).
 */
import { existsSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';

/** Recorded path prefix → local folder (relative folders resolve against `base`). */
export type VideoRoots = Record<string, string>;

function trimSlash(s: string): string {
  return s.length > 1 ? s.replace(/[\\/]+$/, '') : s;
}

/** The mappings as [recorded prefix, absolute local folder], longest prefix first. */
function mappings(roots: VideoRoots, base: string | undefined): (readonly [string, string])[] {
  return Object.entries(roots)
    .filter(([k, v]) => typeof k === 'string' && typeof v === 'string' && k && v)
    .map(([k, v]) => [trimSlash(k.replace(/\\/g, '/')), resolveFolder(v, base)] as const)
    .sort((a, b) => b[0].length - a[0].length);
}

/** True when `prefix` covers the (slash-normalised) recorded path, at a path boundary. */
function covers(prefix: string, norm: string): boolean {
  return norm === prefix || norm.startsWith(prefix + '/');
}

/** The mapping that covers a recorded path (longest prefix first), or null when none does. */
export function mappingFor(
  recorded: string,
  roots: VideoRoots,
  base: string | undefined,
): { prefix: string; folder: string } | null {
  const norm = recorded.replace(/\\/g, '/');
  const hit = mappings(roots, base).find(([prefix]) => covers(prefix, norm));
  return hit ? { prefix: hit[0], folder: hit[1] } : null;
}

/**
 * Local candidates for a recorded video path, best first: the longest matching prefix of
 * `roots` (the remainder joined to its folder), then each root folder with the bare file name,
 * then the recorded path itself (absolute, or relative to `base`).
 */
export function videoCandidates(recorded: string, roots: VideoRoots, base: string | undefined): string[] {
  const out: string[] = [];
  const add = (p: string) => {
    if (!out.includes(p)) out.push(p);
  };
  const norm = recorded.replace(/\\/g, '/');
  const entries = mappings(roots, base);
  for (const [prefix, folder] of entries) {
    if (covers(prefix, norm)) add(join(folder, norm.slice(prefix.length)));
  }
  const name = basename(norm);
  if (name) for (const [, folder] of entries) add(join(folder, name));
  if (isAbsolute(recorded)) add(recorded);
  else if (base) add(resolve(base, recorded));
  return out;
}

/** A root folder value as an absolute path. */
export function resolveFolder(folder: string, base: string | undefined): string {
  return isAbsolute(folder) || !base ? folder : resolve(base, folder);
}

/** The first existing candidate, or null. */
export function findVideo(
  recorded: string,
  roots: VideoRoots,
  base: string | undefined,
  exists: (p: string) => boolean = existsSync,
): string | null {
  for (const c of videoCandidates(recorded, roots, base)) if (exists(c)) return c;
  return null;
}

/** The folder part of a recorded path (`/data/x/Charades_v1/E6DLK.mp4` → `/data/x/Charades_v1`), the prefix a mapping offers. */
export function recordedFolder(recorded: string): string {
  const norm = recorded.replace(/\\/g, '/');
  const i = norm.lastIndexOf('/');
  return i > 0 ? norm.slice(0, i) : i === 0 ? '/' : '.';
}
