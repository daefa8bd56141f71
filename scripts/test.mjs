// `npm test`: sets up what is missing, builds, checks the layer map and types, runs every suite,
// and prints one closing line "N passed, N failed".
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const only = process.argv.slice(2);
const want = (s) => only.length === 0 || only.includes(s);

function step(title, cmd, args, opts = {}) {
  console.log(`\n=== ${title}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  return r.status === 0;
}

let ok = true;
rmSync('test-results', { recursive: true, force: true });
ok = step('setup (installs what is missing)', process.execPath, ['scripts/setup.mjs']) && ok;
ok = step('build', process.execPath, ['scripts/build.mjs']) && ok;
ok = step('lint (format, linter, layer map, unused code)', process.execPath, ['scripts/lint.mjs']) && ok;
ok = step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.host.json', '--noEmit']) && ok;
ok = step('typecheck tests', 'npx', ['tsc', '-p', 'tsconfig.test.json', '--noEmit']) && ok;
ok = step('typecheck webviews', 'npx', ['tsc', '-p', 'tsconfig.webview.json', '--noEmit']) && ok;
ok = step('typecheck end-to-end tests', 'npx', ['tsc', '-p', 'tsconfig.e2e.json', '--noEmit']) && ok;

const suites = [
  ['unit', ['test/unit']],
  ['e2e', ['test/e2e']],
];
for (const [name, dirs] of suites) {
  if (!want(name)) continue;
  if (!dirs.some((d) => existsSync(d) && spawnSync('find', [d, '-name', '*.test.ts']).stdout.length)) continue;
  ok = step(`${name} tests`, process.execPath, ['scripts/runTests.mjs', name, ...dirs]) && ok;
}

let pass = 0;
let fail = 0;
let skip = 0;
for (const [name] of suites) {
  const f = `test-results/${name}.tap`;
  if (!existsSync(f)) continue;
  const tap = readFileSync(f, 'utf8');
  pass += Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
  fail += Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(tap)?.[1] ?? 0);
  skip += Number(/^# skipped (\d+)/m.exec(tap)?.[1] ?? 0);
}
if (!ok && fail === 0) fail = 1; // a failed build or typecheck counts
console.log(`\n${pass} passed, ${fail} failed${skip ? `, ${skip} skipped` : ''}`);
process.exit(ok && fail === 0 ? 0 : 1);
