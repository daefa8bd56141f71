// The host side of the dashboard benchmark, run through tsx (it imports the TypeScript core): judged
// items in memory → dashboard data → the JSON the webview receives.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

/** Builds the dashboard data of `items` in a child process; returns its timing. */
export async function loadCore(items) {
  const script = `
    const { readFileSync } = require('node:fs');
    const { judgeItems } = require(${JSON.stringify(join(ROOT, 'src/core/eval/evaluate.ts'))});
    const { offlineJudge } = require(${JSON.stringify(join(ROOT, 'src/core/eval/judge.ts'))});
    const { dashboardData } = require(${JSON.stringify(join(ROOT, 'src/core/report/build.ts'))});
    (async () => {
      const items = JSON.parse(readFileSync(${JSON.stringify(items)}, 'utf8'));
      const judgments = await judgeItems(items, { judge: offlineJudge });
      const runs = [];
      for (let k = 0; k < 5; k++) {
        const t0 = performance.now();
        const data = dashboardData({ items, judgments, provenance: { path: 'a.json' } });
        const bytes = JSON.stringify(data).length;
        runs.push([performance.now() - t0, bytes]);
      }
      runs.sort((x, y) => x[0] - y[0]);
      process.stdout.write(JSON.stringify({ buildMs: runs[2][0], bytes: runs[2][1] }));
    })();
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}
