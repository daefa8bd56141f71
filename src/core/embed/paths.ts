/** Where sentence models and cached embeddings live by default. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$RARFT_CACHE_DIR`, else `$XDG_CACHE_HOME/rarft`, else `~/.cache/rarft`. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RARFT_CACHE_DIR) return env.RARFT_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'rarft');
}

/** Default download folder of a model: `<cache root>/models/<name>` (`owner/name` → `owner__name`). */
export function defaultModelDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'models', name.replace(/\//g, '__'));
}

/** Root of the on-disk embedding cache (one folder per model fingerprint). */
export function embeddingCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'embeddings');
}
