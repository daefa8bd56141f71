// `npm run lint`: the formatter check and the linter (Biome), the layer map on the real import
// graph, source sizes (scripts/checkSizes.mjs), and unused files/exports/dependencies (knip).
// Runs every check, names each failing one, exits 1 when any failed.
import { spawnSync } from 'node:child_process';

const checks = [
  [
    'format and lint (biome ci; fix with npm run format)',
    'npx',
    ['biome', 'ci', '--error-on-warnings', '--colors=off', '.'],
  ],
  ['layer map', process.execPath, ['scripts/checkBoundaries.mjs']],
  ['source sizes (lines ≤ 160 characters, files ≤ 500 lines)', process.execPath, ['scripts/checkSizes.mjs']],
  ['unused files, exports and dependencies (knip)', 'npx', ['knip', '--no-progress']],
];
const failed = [];
for (const [title, cmd, args] of checks) {
  console.log(`--- ${title}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) failed.push(title);
}
if (failed.length) {
  console.error(`lint failed: ${failed.join('; ')}`);
  process.exit(1);
}
console.log('lint ok');
