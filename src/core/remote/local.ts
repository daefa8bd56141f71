/** Local processes: spawning a program with input, and `ssh -G` resolution. */
import { spawn } from 'node:child_process';

/** The outcome of one local (or ssh) run. */
export interface SshResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns a local program, feeding `input`, collecting output; `onStdout` sees chunks as they come. */
export function runLocal(
  cmd: string,
  args: string[],
  o: { input?: string; signal?: AbortSignal; onStdout?: (b: Buffer) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<SshResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], signal: o.signal, env: o.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => (o.onStdout ? o.onStdout(b) : out.push(b)));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.stdin.on('error', () => {}); // the far end may close stdin early; its exit code tells
    child.on('close', (code, sig) =>
      resolve({
        code: code ?? (sig ? 128 + 15 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.end(o.input ?? '');
  });
}

/** Resolves `host` with `ssh -G`: the settings ssh would use (after Include, Match, ProxyJump). */
export async function resolveHost(host: string, opts: { configFile?: string }): Promise<Map<string, string>> {
  const args = opts.configFile ? ['-F', opts.configFile, '-G', '--', host] : ['-G', '--', host];
  const r = await runLocal('ssh', args);
  if (r.code !== 0) throw new Error(`${host}: ssh -G failed: ${r.stderr.trim()}`);
  const m = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const i = line.indexOf(' ');
    if (i > 0 && !m.has(line.slice(0, i))) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}
