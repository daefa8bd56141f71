// Runs node's test runner (through tsx) over every *.test.ts below the given folders.
// Prints the spec report and records TAP counts in test-results/<name>.tap.
// Usage: node scripts/runTests.mjs <name> <dir>... [-- extra node args]
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (name.endsWith('.test.ts')) yield p;
  }
}

const [name, ...rest] = process.argv.slice(2);
const filter = process.env.RARFT_TEST_FILTER;
const files = rest
  .flatMap((d) => (d.endsWith('.test.ts') ? [d] : [...walk(d)]))
  .filter((f) => !filter || f.includes(filter));
if (!files.length) {
  console.error(`no test files under ${rest.join(', ')}`);
  process.exit(1);
}
mkdirSync('test-results', { recursive: true });
const r = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=test-results/${name}.tap`,
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env } },
);
process.exit(r.status ?? 1);
