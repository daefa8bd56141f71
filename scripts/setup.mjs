// Installs what the build and the tests need and this machine lacks: npm packages, and
// Debian packages (via apt-get, as root) for the end-to-end suites. Safe to run again.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const run = (cmd, args, env = {}) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status === 0;
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

if (!existsSync('node_modules/.package-lock.json')) {
  console.log('installing npm packages');
  if (!run('npm', ['install', '--no-audit', '--no-fund'], { ONNXRUNTIME_NODE_INSTALL: 'skip' })) process.exit(1);
}

/** Debian packages the suites use, by the command that shows each is there. */
const debian = [
  // [command, package]
];
const missing = debian.filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg);
if (missing.length) {
  const root = process.getuid?.() === 0;
  if (!root) {
    console.warn(`missing Debian packages (${missing.join(' ')}); run as root or install them to run every suite`);
  } else {
    console.log(`installing Debian packages: ${missing.join(' ')}`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    if (!run('apt-get', ['update', '-q'], env) || !run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], env)) process.exit(1);
  }
}
