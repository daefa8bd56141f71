/**
 * Runs commands on a remote host with the system `ssh`: the user's configuration (resolved by
 * `ssh -G`), BatchMode, strict host-key checking and a ControlMaster socket of ours so later
 * commands skip the handshake. Remote work is sent as a POSIX sh script on stdin (`sh -s`),
 * so the login shell only ever sees `/bin/sh -s`.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { hostKeyFingerprints } from './hostKeys';
import { runLocal, type SshResult } from './local';

export { resolveHost, type SshResult } from './local';

/** How to reach hosts: an ssh config file (`-F`) and where our ControlMaster sockets live. */
export interface SshOptions {
  /** Passed to ssh as `-F FILE`; otherwise ssh reads ~/.ssh/config. */
  configFile?: string;
  /** Folder of ControlMaster sockets; default `$RARFT_SSH_CONTROL_DIR` or `<tmp>/rarft-ssh-<uid>`. */
  controlDir?: string;
  /** Seconds a master stays up after its last use (default 120). */
  persistSeconds?: number;
}

/** ssh refused the host key: unknown (fingerprint given) or changed since it was recorded. */
export class HostKeyError extends Error {
  constructor(
    message: string,
    readonly kind: 'unknown' | 'changed',
    readonly host: string,
    readonly fingerprints: string[] = [],
  ) {
    super(message);
  }
}

/** ssh could not connect (not a key problem): host down, wrong port, authentication refused. */
export class UnreachableError extends Error {}

/** The folder our ControlMaster sockets go in, created with mode 700. */
export function controlDir(opts: SshOptions): string {
  const dir = opts.controlDir ?? process.env.RARFT_SSH_CONTROL_DIR ?? join(tmpdir(), `rarft-ssh-${userInfo().uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** The ssh options every call carries (before the host). */
export function sshOptionArgs(opts: SshOptions): string[] {
  const args: string[] = [];
  if (opts.configFile) args.push('-F', opts.configFile);
  args.push(
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'ControlMaster=auto',
    '-o',
    `ControlPath=${join(controlDir(opts), '%C')}`,
    '-o',
    `ControlPersist=${opts.persistSeconds ?? 120}`,
    '-o',
    'ConnectTimeout=15',
  );
  return args;
}

/** The full ssh argv (without the `ssh` itself) that runs `/bin/sh -s` on `host`. */
export function sshArgv(host: string, opts: SshOptions, remote: string[] = ['/bin/sh', '-s']): string[] {
  return [...sshOptionArgs(opts), '--', host, ...remote];
}

/** ssh's own exit code for its failures (connection, authentication, host key). */
const SSH_FAILED = 255;

/** Turns ssh's own failure (exit 255) into a HostKeyError or UnreachableError. */
export async function sshFailure(host: string, r: SshResult, opts: SshOptions): Promise<Error> {
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i.test(r.stderr)) {
    return new HostKeyError(
      `${host}: the host key has CHANGED since it was recorded in known_hosts: refusing to connect ` +
        '(this can be an attack; if the server was reinstalled, remove the old key with ssh-keygen -R)',
      'changed',
      host,
    );
  }
  if (/Host key verification failed|No .* host key is known/i.test(r.stderr)) {
    const fps = await hostKeyFingerprints(host, opts).catch(() => []);
    const shown = fps.length ? fps.join(', ') : '(could not be read)';
    return new HostKeyError(
      `${host}: host key not known: ${shown}. Check it with the server's administrator, then accept it ` +
        `(rarft remote check ${host} --accept-host-key ${fps[0]?.split(' ')[1] ?? 'SHA256:…'})`,
      'unknown',
      host,
      fps,
    );
  }
  const why = r.stderr.trim().split('\n').filter(Boolean).pop() ?? 'ssh failed';
  return new UnreachableError(`${host}: cannot connect: ${why}`);
}

/**
 * Runs `script` with `/bin/sh -s` on `host`. Resolves with the script's exit code and output;
 * rejects with HostKeyError / UnreachableError when ssh itself fails.
 */
export async function runRemote(
  host: string,
  script: string,
  opts: SshOptions,
  o: { signal?: AbortSignal; onStdout?: (b: Buffer) => void } = {},
): Promise<SshResult> {
  const r = await runLocal('ssh', sshArgv(host, opts), { input: script, ...o });
  if (r.code === SSH_FAILED && !o.signal?.aborted) throw await sshFailure(host, r, opts);
  return r;
}
