// `npm run package [-- --target linux-x64]`: a production build, then a per-platform .vsix
// holding only that platform's onnxruntime-node binaries (the bundles keep it and the
// tokenizer external). Writes dist/rarft-workbench-<target>-<version>.vsix.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const arg = process.argv.indexOf('--target');
const target = arg > 0 ? process.argv[arg + 1] : `${process.platform}-${process.arch}`;
const TARGETS = {
  'linux-x64': ['linux', 'x64'],
  'linux-arm64': ['linux', 'arm64'],
  'darwin-x64': ['darwin', 'x64'],
  'darwin-arm64': ['darwin', 'arm64'],
  'win32-x64': ['win32', 'x64'],
  'win32-arm64': ['win32', 'arm64'],
};
if (!TARGETS[target]) {
  console.error(`unknown target ${target}; expected one of ${Object.keys(TARGETS).join(', ')}`);
  process.exit(2);
}
const [os, cpu] = TARGETS[target];

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run(process.execPath, ['scripts/build.mjs', '--production']);

// Keep only this platform's native binaries (onnxruntime-node ships every platform's).
const dir = mkdtempSync(join(tmpdir(), 'rarft-vsce-'));
const ignore = join(dir, '.vscodeignore');
const lines = [readFileSync('.vscodeignore', 'utf8')];
// vsce lets any negated pattern win, so the platform is added as the only binary folder let in.
lines.push(`!node_modules/onnxruntime-node/bin/napi-v6/${os}/${cpu}/**`);
writeFileSync(ignore, lines.join('\n') + '\n');
const out = `dist/${pkg.name}-${target}-${pkg.version}.vsix`;
try {
  run(process.execPath, [
    'node_modules/@vscode/vsce/vsce',
    'package',
    '--target',
    target,
    '--ignoreFile',
    ignore,
    '--out',
    out,
    '--allow-missing-repository',
    '--skip-license',
    '--allow-star-activation',
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`packaged ${out}`);
