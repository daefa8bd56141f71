// A browser VS Code for trying the extension (`npm start`) and for the end-to-end tests:
// packages the extension, installs it into code-server (from .e2e/code-server, see setup.mjs)
// and runs code-server on 127.0.0.1. Types: codeServer.d.mts.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

export const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
export const codeServerEntry = join(root, '.e2e/code-server/node_modules/code-server/out/node/entry.js');

/** True when setup.mjs has installed code-server. */
export function hasCodeServer() {
  return existsSync(codeServerEntry);
}

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function newestMtime(paths) {
  let t = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const n of readdirSync(p)) visit(join(p, n));
    else t = Math.max(t, st.mtimeMs);
  };
  paths.forEach(visit);
  return t;
}

/** True when `file` ends with a zip end-of-central-directory record (a whole .vsix, not a torn one). */
function isWholeZip(file) {
  if (!existsSync(file)) return false;
  const buf = readFileSync(file);
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--)
    if (buf.readUInt32LE(i) === 0x06054b50) return true;
  return false;
}

/** Runs `fn` holding .e2e/vsix.lock, so two test processes never package at the same time. */
function withLock(fn) {
  const lock = join(root, '.e2e/vsix.lock');
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock left by a killed process goes stale after two minutes.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 120_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${lock} held for too long`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Packages the extension with `npm run package` (a production build and a per-platform .vsix) and
 * returns a copy of the .vsix in .e2e/. Reuses that copy while none of the package's inputs changed.
 */
export function packageVsix({ log = () => {} } = {}) {
  mkdirSync(join(root, '.e2e'), { recursive: true });
  return withLock(() => {
    const inputs = [
      'src',
      'webview',
      'media',
      'package.json',
      '.vscodeignore',
      'scripts/build.mjs',
      'scripts/package.mjs',
      'node_modules/.package-lock.json',
    ];
    const sources = newestMtime(inputs.map((p) => join(root, p)));
    const vsix = join(root, '.e2e/rarft-workbench.vsix');
    const stampFile = join(root, '.e2e/vsix.json');
    if (existsSync(stampFile) && JSON.parse(readFileSync(stampFile, 'utf8')).sources === sources && isWholeZip(vsix))
      return vsix;
    log('packaging the extension (npm run package)');
    const before = Date.now();
    const r = spawnSync('npm', ['run', 'package', '--silent'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'true' },
    });
    if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
    // The newest .vsix it wrote (dist/ or the root), this platform's when there are several.
    const found = ['.', 'dist']
      .map((d) => join(root, d))
      .flatMap((d) =>
        readdirSync(d)
          .filter((n) => n.endsWith('.vsix'))
          .map((n) => join(d, n)),
      )
      .filter((f) => statSync(f).mtimeMs >= before - 1000)
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    const made = found.find((f) => f.includes(`${process.platform}-${process.arch}`)) ?? found[0];
    if (!made) throw new Error(`npm run package wrote no .vsix:\n${r.stdout}`);
    copyFileSync(made, vsix);
    if (!isWholeZip(vsix)) throw new Error(`${made} is not a whole zip file`);
    writeFileSync(stampFile, JSON.stringify({ sources, from: made }) + '\n');
    return vsix;
  });
}

/** User settings that keep a fresh profile quiet: no welcome page, tips, trust prompt or update checks. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  // VS Code in a browser saves 1 s after each edit by default; desktop VS Code (and the tests of
  // dirty state, save, revert and changes on disk under unsaved edits) expect "off".
  'files.autoSave': 'off',
};

/** Installs a .vsix into a code-server profile (fresh dirs make a fresh profile). */
export function installExtension({ vsix, userDataDir, extensionsDir }) {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const settings = join(userDataDir, 'User/settings.json');
  if (!existsSync(settings)) writeFileSync(settings, JSON.stringify(USER_SETTINGS, null, 2) + '\n');
  const r = spawnSync(
    process.execPath,
    [
      codeServerEntry,
      '--config',
      join(userDataDir, 'config.yaml'),
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
    throw new Error(`installing ${vsix} into code-server failed:\n${r.stdout}\n${r.stderr}`);
  }
}

/**
 * Starts code-server on 127.0.0.1:port with the given profile and waits until it answers.
 * Returns { url, folderUrl, pid, stop() }; stop() ends code-server and its children.
 * `onOutput` receives its stdout/stderr text.
 */
export async function startCodeServer({
  folder,
  port,
  userDataDir,
  extensionsDir,
  onOutput = () => {},
  timeoutMs = 60_000,
}) {
  port ??= await freePort();
  const args = [
    codeServerEntry,
    '--config',
    join(userDataDir, 'config.yaml'),
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    folder,
  ];
  // Its own process group, so stop() reaches the extension host and the other children too.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.setEncoding('utf8').on('data', onOutput);
  child.stderr.setEncoding('utf8').on('data', onOutput);
  let exited = false;
  const exitedP = new Promise((ok) => child.once('exit', () => ok((exited = true))));
  // Detached children outlive us unless told: end the group if this process exits first.
  const killOnExit = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };
  process.once('exit', killOnExit);
  exitedP.then(() => process.off('exit', killOnExit));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, 5000);
    await exitedP;
    clearTimeout(t);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error('code-server exited before it answered');
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms`);
    }
    await new Promise((ok) => setTimeout(ok, 200));
  }
  return { url, folderUrl: `${url}/?folder=${encodeURIComponent(folder)}`, pid: child.pid, stop };
}
