// Installs what the build and the tests need and this machine lacks: npm packages, Debian
// packages (via apt-get, as root) for the end-to-end suites, and code-server (a browser VS Code)
// in .e2e/code-server/, apart from the extension's own dependencies. Safe to run again: prints
// nothing when everything is already there.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const run = (cmd, args, opts = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts, env: { ...process.env, ...opts.env } }).status === 0;
const which = (cmd) => {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  return undefined;
};
/** A check is a command name, or an absolute path a package puts on disk. */
const present = (check) => (check.startsWith('/') ? existsSync(check) : !!which(check));

if (!existsSync(join(root, 'node_modules/.package-lock.json'))) {
  console.log('installing npm packages');
  if (!run('npm', ['install', '--no-audit', '--no-fund'], { env: { ONNXRUNTIME_NODE_INSTALL: 'skip' } }))
    process.exit(1);
}

/** Debian packages the suites use, by what shows each is there. */
const debian = [
  // [command or file, package]
  ['/usr/bin/chromium', 'chromium'], // the browser the end-to-end tests drive
  ['ffmpeg', 'ffmpeg'], // fixture videos, transcoding
  ['ffprobe', 'ffmpeg'], // codec probing
  ['/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf', 'fonts-dejavu-core'], // ffmpeg drawtext timecodes
  ['rg', 'ripgrep'], // code-server's search, and its installer (see below)
  ['/usr/include/krb5.h', 'libkrb5-dev'], // code-server's kerberos module builds against it
  ['g++', 'g++'], // native modules of code-server
  ['make', 'make'],
  ['/usr/sbin/sshd', 'openssh-server'], // a real sshd on 127.0.0.1 for the remote-job tests
  ['ssh', 'openssh-client'], // the system ssh every remote command runs through
  ['rsync', 'rsync'], // push/pull of remote files
  ['/usr/sbin/slurmctld', 'slurmctld'], // a one-node Slurm cluster for the Slurm tests
  ['/usr/sbin/slurmd', 'slurmd'],
  ['sbatch', 'slurm-client'],
  ['/usr/sbin/munged', 'munge'], // Slurm's authentication
];
const missing = [...new Set(debian.filter(([check]) => !present(check)).map(([, pkg]) => pkg))];
if (missing.length) {
  if (process.getuid?.() !== 0) {
    console.warn(`missing Debian packages (${missing.join(' ')}); run as root or install them to run every suite`);
  } else {
    console.log(`installing Debian packages: ${missing.join(' ')}`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    const quiet = { stdio: ['ignore', 'ignore', 'inherit'], env };
    if (
      !run('apt-get', ['update', '-q'], quiet) ||
      !run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], quiet)
    ) {
      process.exit(1);
    }
  }
}

/** code-server 4.100.3: the last line that runs on node 20. */
const CODE_SERVER_VERSION = '4.100.3';
const csDir = join(root, '.e2e/code-server');
const csEntry = join(csDir, 'node_modules/code-server/out/node/entry.js');
if (!existsSync(csEntry)) {
  const rg = which('rg');
  if (!rg) {
    console.warn('code-server not installed: it needs ripgrep (rg); the end-to-end tests will be skipped');
  } else {
    console.log(`installing code-server ${CODE_SERVER_VERSION} in .e2e/code-server (a few minutes)`);
    // @vscode/ripgrep downloads rg from the web unless its cache folder already holds the archive;
    // put the Debian rg there under the names its versions look for.
    const tmp = process.env.TMPDIR || tmpdir();
    for (const v of ['1.15.9', '1.15.10', '1.15.11', '1.15.12', '1.15.13', '1.15.14']) {
      const d = join(tmp, `vscode-ripgrep-cache-${v}`);
      mkdirSync(d, { recursive: true });
      for (const t of ['v13.0.0-10', 'v13.0.0-13', 'v13.0.0-4']) {
        const f = join(d, `ripgrep-${t}-x86_64-unknown-linux-musl.tar.gz`);
        if (!existsSync(f) && !run('tar', ['czf', f, '-C', dirname(rg), 'rg'])) process.exit(1);
      }
    }
    mkdirSync(csDir, { recursive: true });
    writeFileSync(
      join(csDir, 'package.json'),
      JSON.stringify(
        { name: 'rarft-e2e-code-server', private: true, dependencies: { 'code-server': CODE_SERVER_VERSION } },
        null,
        2,
      ) + '\n',
    );
    const ok = run('npm', ['install', '--no-audit', '--no-fund', '--unsafe-perm', '--loglevel=error'], {
      cwd: csDir,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { npm_config_yes: 'true', ONNXRUNTIME_NODE_INSTALL: 'skip' },
    });
    if (!ok || !existsSync(csEntry)) {
      console.error('installing code-server failed');
      process.exit(1);
    }
  }
}
