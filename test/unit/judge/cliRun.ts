// Helpers of the judge CLI tests: the built `rarft` in its own process (not blocking this one,
// where the test servers live), with the user cache folder in a temp dir.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt } from '../../support/cli';
import { ROOT, referencePath, tempDir } from '../../support/fixtures';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The user cache folder the CLI runs see (XDG_CACHE_HOME), one per test file. */
const xdgCache = tempDir();
export const userJudgeCache = join(xdgCache, 'rarft', 'judge');

/** Starts `rarft ...args` without blocking this process (the server lives here). */
export function start(args: string[], env: Record<string, string> = {}) {
  ensureBuilt();
  const t0 = Date.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'rarft.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, OPENAI_API_KEY: 'sk-test', XDG_CACHE_HOME: xdgCache, RARFT_CACHE_DIR: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<Run>((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr, ms: Date.now() - t0 })),
  );
  return { child, done };
}

export const rarft = (args: string[], env?: Record<string, string>) => start(args, env).done;

/** The first `n` reference items in a temp folder. */
export function subset(n: number): { dir: string; input: string } {
  const dir = tempDir();
  const items = JSON.parse(readFileSync(referencePath('charades.offline.items.json'), 'utf8')).slice(0, n);
  const input = join(dir, 'items.json');
  writeFileSync(input, JSON.stringify(items));
  return { dir, input };
}

export const countFiles = (dir: string) =>
  existsSync(dir) ? readdirSync(dir).reduce((n, d) => n + readdirSync(join(dir, d)).length, 0) : 0;
