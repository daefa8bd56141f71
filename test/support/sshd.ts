/**
 * A real sshd on 127.0.0.1 for tests: its own host key, a client key in authorized_keys, a
 * known_hosts written by us, and an ssh config naming the host `rarft-test` with
 * StrictHostKeyChecking=yes and BatchMode=yes. `stop()` ends sshd, our ControlMaster and every
 * job the tests left running under the remote jobs folder, even after a failure.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running test sshd. */
export interface Sshd {
  port: number;
  /** The client ssh config to pass as `--ssh-config`; host alias `rarft-test`. */
  configFile: string;
  host: string;
  knownHosts: string;
  /** The host's public key line (`ssh-ed25519 AAAA…`). */
  hostKey: string;
  /** Temp folder holding everything (its name has a space, to test quoting). */
  dir: string;
  /** Remote jobs folder tests should use (`--remote-root`). */
  remoteRoot: string;
  /** ControlMaster folder for this fixture (set RARFT_SSH_CONTROL_DIR to it). */
  controlDir: string;
  /** Environment for CLI runs: RARFT_SSH_CONTROL_DIR set. */
  env: Record<string, string>;
  stop(): Promise<void>;
  /** Kills every ssh process (clients and master) of this fixture: a dropped connection. */
  dropConnections(): void;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const live = new Set<Sshd>();
process.on('exit', () => {
  for (const s of live) killJobs(s.remoteRoot), s.dropConnections();
});

/** Kills the process group of every job under `root` (each job folder has a `pgid` file). */
function killJobs(root: string): void {
  if (!existsSync(root)) return;
  for (const id of readdirSync(root)) {
    const f = join(root, id, 'pgid');
    if (!existsSync(f)) continue;
    const pgid = Number(readFileSync(f, 'utf8').trim());
    if (pgid > 1)
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {}
  }
}

/** Starts sshd; `setEnv` adds `SetEnv` lines (e.g. SLURM_CONF) for remote sessions. */
export async function startSshd(o: { setEnv?: Record<string, string> } = {}): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'rarft sshd '));
  const controlDir = mkdtempSync(join(tmpdir(), 'rcm'));
  mkdirSync('/run/sshd', { recursive: true });
  const keygen = (f: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', f]);
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'client_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
  const hostKey = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const port = await freePort();
  const q = (p: string) => `"${p}"`;
  const env = Object.entries(o.setEnv ?? {}).map(([k, v]) => `${k}=${v}`);
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${q(join(dir, 'host_key'))}`,
      `PidFile ${q(join(dir, 'sshd.pid'))}`,
      `AuthorizedKeysFile ${q(join(dir, 'authorized_keys'))}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'MaxSessions 100',
      'MaxStartups 100',
      'LogLevel ERROR',
      ...(env.length ? [`SetEnv ${env.map((e) => `"${e}"`).join(' ')}`] : []),
      '',
    ].join('\n'),
  );
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostKey}\n`);
  const configFile = join(dir, 'ssh_config');
  writeFileSync(
    configFile,
    [
      'Host rarft-test',
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      '  User root',
      `  IdentityFile ${q(join(dir, 'client_key'))}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${q(knownHosts)}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '  BatchMode yes',
      '',
    ].join('\n'),
  );
  const remoteRoot = join(dir, 'remote jobs');
  const proc: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  proc.stderr!.on('data', (b) => (log += b));
  const s: Sshd = {
    port,
    configFile,
    host: 'rarft-test',
    knownHosts,
    hostKey,
    dir,
    remoteRoot,
    controlDir,
    env: { RARFT_SSH_CONTROL_DIR: controlDir },
    dropConnections() {
      // Our ssh clients and the master all name the fixture's ControlPath folder on their command line.
      const r = spawnPkill(controlDir);
      void r;
    },
    async stop() {
      live.delete(s);
      killJobs(remoteRoot);
      s.dropConnections();
      if (proc.exitCode === null) {
        const gone = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
      rmSync(controlDir, { recursive: true, force: true });
    },
  };
  live.add(s);
  await waitReady(s, proc, () => log);
  return s;
}

/** Kills local processes whose command line holds `marker` (only this fixture's ssh processes). */
function spawnPkill(marker: string): void {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if ((cmd.startsWith('ssh\0') || cmd.startsWith('ssh: ')) && cmd.includes(marker))
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {}
  }
}

/** Waits until a login works (sshd up), failing with sshd's log if it exits or takes too long. */
async function waitReady(s: Sshd, proc: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`sshd exited: ${log()}`);
    const r = spawnSyncSsh(s);
    if (r === 0) return;
    if (Date.now() > deadline) {
      await s.stop();
      throw new Error(`sshd did not accept a login within 30 s: ${log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function spawnSyncSsh(s: Sshd): number {
  try {
    execFileSync('ssh', ['-F', s.configFile, '-o', 'ConnectTimeout=5', s.host, 'true'], { stdio: 'ignore' });
    return 0;
  } catch {
    return 1;
  }
}
