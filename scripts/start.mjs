// `npm start`: builds the extension and opens it in a browser VS Code (code-server on 127.0.0.1)
// on a sample workspace (real annotations, a simulated run, fixture videos), then prints the
// address to open. Runs until Ctrl-C.
// Options: --port N (default: $PORT, else 8080 when free, else any free port), --fresh (rebuild
// the sample workspace and the code-server profile).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { freePort, hasCodeServer, installExtension, packageVsix, root, startCodeServer } from './codeServer.mjs';
import { makeSampleWorkspace, RUN_NAME } from './makeSampleWorkspace.mjs';

const { values } = parseArgs({ options: { port: { type: 'string' }, fresh: { type: 'boolean', default: false } } });

function step(title, cmd, args) {
  console.log(`== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${title} failed`);
    process.exit(1);
  }
}

step('setup', process.execPath, ['scripts/setup.mjs']);
if (!hasCodeServer()) {
  console.error(
    'code-server is not installed: run `node scripts/setup.mjs` as root (it needs apt-get for ripgrep and libkrb5-dev)',
  );
  process.exit(1);
}
step('build', process.execPath, ['scripts/build.mjs']);

console.log('== package');
const vsix = packageVsix({ log: (m) => console.log(m) });
console.log(vsix);

console.log('== sample workspace');
const workspace = makeSampleWorkspace(join(root, '.e2e/sample-workspace'), { force: values.fresh });
console.log(workspace);
// Land on the dashboard of the sample run (the extension opens it once the workspace is up).
const settingsFile = join(workspace, '.vscode', 'settings.json');
const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
settings['rarft.dashboard.openOnStart'] = `runs/${RUN_NAME}/inference_results_merged.json`;
writeFileSync(settingsFile, JSON.stringify(settings, null, 2) + '\n');

const profile = join(root, '.e2e/profile');
if (values.fresh) rmSync(profile, { recursive: true, force: true });
const userDataDir = join(profile, 'user-data');
const extensionsDir = join(profile, 'extensions');
console.log('== install the extension into code-server');
installExtension({ vsix, userDataDir, extensionsDir });

async function pickPort() {
  if (values.port) return Number(values.port);
  if (process.env.PORT) return Number(process.env.PORT);
  // 8080 when free, so the address stays the same from one start to the next.
  const { createServer } = await import('node:net');
  const free = await new Promise((ok) => {
    const s = createServer();
    s.once('error', () => ok(false));
    s.listen(8080, '127.0.0.1', () => s.close(() => ok(true)));
  });
  return free ? 8080 : freePort();
}

const server = await startCodeServer({
  folder: workspace,
  port: await pickPort(),
  userDataDir,
  extensionsDir,
  onOutput: (s) => process.stderr.write(s.replace(/^/gm, '  code-server | ').replace(/ {2}code-server \| $/, '')),
});
console.log(`\nRA-RFT Workbench is running in code-server. Open:\n\n  ${server.folderUrl}\n\n(Ctrl-C to stop)`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping code-server');
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
// Keep running until a signal arrives.
setInterval(() => {}, 1 << 30);
