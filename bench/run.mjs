// Runs every benchmark in bench/ (each prints its figures beside their targets).
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
spawnSync(process.execPath, [join(here, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
for (const f of readdirSync(here).sort()) {
  if (!f.endsWith('.mjs') || f === 'run.mjs' || f === 'lib.mjs') continue;
  console.log(`\n# ${f}`);
  spawnSync(process.execPath, ['--import', 'tsx', join(here, f)], { stdio: 'inherit' });
}
