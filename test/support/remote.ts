/** Helpers for remote-job tests: the CLI against the test sshd, waiting for a job's state. */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliRun, ensureBuilt, rarft } from './cli';
import { ROOT } from './fixtures';
import type { Sshd } from './sshd';

/** Adds --ssh-config and --workspace before a `--` (what follows it is the job's command). */
function withCommon(s: Sshd, ws: string, args: string[]): string[] {
  const common = ['--ssh-config', s.configFile, '--workspace', ws];
  const i = args.indexOf('--');
  return i < 0 ? [...args, ...common] : [...args.slice(0, i), ...common, ...args.slice(i)];
}

/** Runs `rarft remote SUB …` with the fixture's ssh config and a workspace. */
export function remote(s: Sshd, ws: string, args: string[]): CliRun {
  return rarft(['remote', ...withCommon(s, ws, args)], ws, s.env);
}

/** Like `remote`, asynchronous (for --follow): resolves with the output when the process exits. */
export function remoteAsync(
  s: Sshd,
  ws: string,
  args: string[],
  onStdout?: (all: string) => void,
): { done: Promise<CliRun>; kill(): void } {
  ensureBuilt();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'rarft.js'), 'remote', ...withCommon(s, ws, args)], {
    cwd: ws,
    env: { ...process.env, ...s.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => {
    stdout += b;
    onStdout?.(stdout);
  });
  child.stderr.on('data', (b) => (stderr += b));
  const done = new Promise<CliRun>((r) => child.on('close', (status) => r({ status, stdout, stderr })));
  return { done, kill: () => child.kill('SIGKILL') };
}

/** Polls `cond` every 100 ms until it holds; fails after `ms` with `what`. */
export async function until<T>(
  what: string,
  cond: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until `status JOB --json` reports one of `states`; returns that status. */
export function waitState(s: Sshd, ws: string, job: string, states: string[], ms = 30_000) {
  return until(
    `job ${job} to be ${states.join('/')}`,
    () => {
      const r = remote(s, ws, ['status', job, '--json']);
      if (r.status !== 0) throw new Error(`status failed: ${r.stderr}`);
      const st = JSON.parse(r.stdout) as { state: string; exit_code: number | null };
      return states.includes(st.state) ? st : undefined;
    },
    ms,
  );
}

/** Launches and returns the job id (asserting success). */
export function launch(s: Sshd, ws: string, args: string[]): string {
  const i = args.indexOf('--') < 0 ? args.length : args.indexOf('--');
  const r = remote(s, ws, ['launch', s.host, ...args.slice(0, i), '--json', ...args.slice(i)]);
  if (r.status !== 0) throw new Error(`launch failed (${r.status}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { job: string }).job;
}

const temps: string[] = [];
process.on('exit', () => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A temp folder (a name with a space), removed when the test process exits. */
export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `${prefix} `));
  temps.push(d);
  return d;
}

/** A fake RA-RFT checkout: the stand-in scripts copied into a temp folder. */
export function fakeCheckout(): string {
  const dir = join(tempDir('rarft checkout'), 'RA-RFT');
  cpSync(join(ROOT, 'test', 'support', 'standins'), dir, { recursive: true });
  return dir;
}
