/** Moving files: rsync over our ssh when both ends have it, else tar over ssh. */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { runLocal } from './local';
import { shQuote } from './quote';
import { sshOptionArgs, type SshOptions } from './ssh';

/** What to move. */
export interface TransferSpec {
  host: string;
  /** Remote folder (relative paths are under the remote home). */
  remote: string;
  /** Local folder. */
  local: string;
  /** rsync/tar exclude patterns (e.g. `*.mp4`, `checkpoint-*`). */
  excludes?: string[];
  /** `tar` skips rsync (default: rsync when both ends have it). */
  method?: 'auto' | 'tar';
}

/** One argument of rsync's `-e` string (rsync splits it on spaces and honours quotes, not backslashes). */
function rsyncWord(s: string): string {
  if (!/[\s'"]/.test(s)) return s;
  if (!s.includes("'")) return `'${s}'`;
  if (!s.includes('"')) return `"${s}"`;
  throw new Error(`${s}: a path with both kinds of quote cannot be passed to rsync -e`);
}

/** The `-e` value that makes rsync use our ssh settings (config, BatchMode, ControlMaster). */
export function rsyncShell(opts: SshOptions): string {
  return ['ssh', ...sshOptionArgs(opts)].map(rsyncWord).join(' ');
}

/** Exit codes that mean rsync is missing at one end (127 here, 12 or 14 from the far side). */
const NO_RSYNC = /rsync: (command )?not found|rsync: not found|protocol data stream/;

async function rsync(args: string[], opts: SshOptions): Promise<boolean> {
  const r = await runLocal('rsync', ['-a', '--partial', '-e', rsyncShell(opts), ...args]).catch((e) => {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null; // no local rsync
    throw e;
  });
  if (!r) return false;
  if (r.code === 0) return true;
  if (NO_RSYNC.test(r.stderr) || r.code === 127) return false;
  throw new Error(`rsync failed (exit ${r.code}): ${r.stderr.trim()}`);
}

/** Pipes `from` into `to`; resolves when both exited 0. */
function pipe(from: [string, string[]], to: [string, string[]]): Promise<void> {
  return new Promise((resolve, reject) => {
    const a = spawn(from[0], from[1], { stdio: ['ignore', 'pipe', 'pipe'] });
    const b = spawn(to[0], to[1], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    a.stderr.on('data', (d) => (err += d));
    b.stderr.on('data', (d) => (err += d));
    a.stdout.pipe(b.stdin);
    let left = 2;
    const codes: number[] = [];
    const done = (c: number | null) => {
      codes.push(c ?? 1);
      if (--left === 0)
        codes.every((x) => x === 0) ? resolve() : reject(new Error(`tar over ssh failed: ${err.trim()}`));
    };
    a.on('error', reject).on('close', done);
    b.on('error', reject).on('close', done);
  });
}

function sshCommand(host: string, opts: SshOptions, script: string): [string, string[]] {
  return ['ssh', [...sshOptionArgs(opts), '--', host, `/bin/sh -c ${shQuote(script)}`]];
}

const tarExcludes = (ex: string[] = []) => ex.map((e) => `--exclude=${e}`);

/** Copies the remote folder's contents into the local folder; returns the method used. */
export async function pull(t: TransferSpec, opts: SshOptions): Promise<'rsync' | 'tar'> {
  await mkdir(t.local, { recursive: true });
  const ex = (t.excludes ?? []).flatMap((e) => ['--exclude', e]);
  if (
    t.method !== 'tar' &&
    (await rsync([...ex, '--', `${t.host}:${t.remote.replace(/\/?$/, '/')}`, `${t.local}/`], opts))
  )
    return 'rsync';
  const script = `cd ${shQuote(t.remote)} && exec tar -cf - ${tarExcludes(t.excludes).map(shQuote).join(' ')} .`;
  await pipe(sshCommand(t.host, opts, script), ['tar', ['-xf', '-', '-C', t.local]]);
  return 'tar';
}

/** Copies the local folder's contents into the remote folder (made when missing); returns the method used. */
export async function push(t: TransferSpec, opts: SshOptions): Promise<'rsync' | 'tar'> {
  const ex = (t.excludes ?? []).flatMap((e) => ['--exclude', e]);
  const mk = ['--rsync-path', `mkdir -p ${shQuote(t.remote)} && rsync`];
  if (
    t.method !== 'tar' &&
    (await rsync([...ex, ...mk, '--', `${t.local}/`, `${t.host}:${t.remote.replace(/\/?$/, '/')}`], opts))
  )
    return 'rsync';
  const script = `mkdir -p ${shQuote(t.remote)} && cd ${shQuote(t.remote)} && exec tar -xf -`;
  await pipe(['tar', ['-cf', '-', ...tarExcludes(t.excludes), '-C', t.local, '.']], sshCommand(t.host, opts, script));
  return 'tar';
}
