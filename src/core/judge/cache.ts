/**
 * Content-addressed on-disk cache of judge replies: one small JSON file per entry, named by
 * the hash of (server, model, step, prompt version, input texts), written atomically as soon
 * as a reply arrives. A stopped run resumes from it; a rerun costs no requests.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheRoot } from '../embed/paths';
import { writeFileAtomic } from '../fsAtomic';
import type { JudgeStep } from './prompts';

/** What identifies one judgment. */
export interface CacheKeyParts {
  baseUrl: string;
  model: string;
  step: JudgeStep;
  promptVersion: string;
  inputs: string[];
}

/** One cached reply: the raw content (re-parsed on use) and the tokens it cost. */
export interface CacheEntry {
  content: string;
  usage: { prompt_tokens: number; completion_tokens: number };
  step: JudgeStep;
  model: string;
  promptVersion: string;
  /** ISO time the reply arrived. */
  at: string;
}

/**
 * The default cache folder: `<cache root>/judge`, i.e. `$XDG_CACHE_HOME/rarft/judge`, else
 * `~/.cache/rarft/judge` (`$RARFT_CACHE_DIR/judge` when that is set). One per user, shared by
 * every run and output folder: entries are content-addressed, so sharing is safe.
 */
export function defaultJudgeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'judge');
}

/** A base URL in one spelling: no trailing slashes. */
export function normalizeBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** The cache key (sha-256 hex) of a judgment. */
export function cacheKey(p: CacheKeyParts): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify(['rarft-judge-cache/1', normalizeBaseUrl(p.baseUrl), p.model, p.step, p.promptVersion, p.inputs]),
  );
  return h.digest('hex');
}

/** The on-disk store: `<dir>/<2 hex>/<64 hex>.json`. */
export class JudgeCache {
  constructor(readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The entry, or undefined when absent or unreadable (an unreadable one is simply redone). */
  async get(key: string): Promise<CacheEntry | undefined> {
    let text: string;
    try {
      text = await readFile(this.path(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const e = JSON.parse(text) as CacheEntry;
      return typeof e?.content === 'string' ? e : undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes an entry atomically (temp file + rename). */
  async put(key: string, entry: CacheEntry): Promise<void> {
    await writeFileAtomic(this.path(key), JSON.stringify(entry) + '\n');
  }
}
