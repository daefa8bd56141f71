/** Runs the built `rarft` CLI as a separate process, as users do. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fixtures';

let built = false;

/** Builds dist/ once if it is missing (npm test builds before running tests). */
export function ensureBuilt(): void {
  if (built || existsSync(join(ROOT, 'dist', 'cli.js'))) {
    built = true;
    return;
  }
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  built = true;
}

/** The result of one CLI run. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `rarft ...args` in `cwd`. */
export function rarft(args: string[], cwd = ROOT, env: Record<string, string> = {}): CliRun {
  ensureBuilt();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'rarft.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
