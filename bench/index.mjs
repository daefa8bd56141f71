// `rarft index` as a whole process: both sample files (target < 300 ms), and a generated
// 100,000-video annotation file of about 70 MB (target < 3 s, peak memory < 1 GB).
// Run: npm run build && node bench/index.mjs
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, ROOT, figure, rng, timeCli } from './lib.mjs';

const samples = timeCli(['index', join(ROOT, 'samples/data'), '--json'], 7);
figure(
  'index both sample files, whole process, median of 7',
  samples.median.toFixed(0),
  ' ms',
  '< 300 ms',
  samples.median < 300,
);

const N = 100_000;
const file = join(DATA, 'anno100k.json');
if (!existsSync(file)) {
  const base = JSON.parse(readFileSync(join(ROOT, 'samples/data/hi_vtg_charades.json'), 'utf8'));
  const r = rng(11);
  const out = [];
  for (let i = 0; i < N; i++) {
    const e = structuredClone(base[i % base.length]);
    e.video = e.video.replace('.mp4', `_${i}.mp4`);
    // About 70 MB for 100,000 videos, as the issue sizes it: no dense captions, no q_origin.
    e.think = '';
    for (const g of e.GRPO) delete g.q_origin;
    if (r() < 0.01) e.duration = null;
    out.push(e);
  }
  writeFileSync(file, JSON.stringify(out));
}
const mb = statSync(file).size / 1e6;
const big = timeCli(['index', file, '--json'], 3);
const rss = Number(/maxRSS=(\d+)MB/.exec(big.profile)?.[1] ?? NaN);
figure(
  `index ${N}-video file (${mb.toFixed(0)} MB), whole process, median of 3`,
  big.median.toFixed(0),
  ' ms',
  '< 3000 ms',
  big.median < 3000,
);
figure('  peak memory (maxRSS)', rss, ' MB', '< 1024 MB', rss < 1024);
console.log(`  where it goes (last run): ${big.profile}`);
