// `rarft evaluate`, whole process, offline judge, beside a bare parse of the same file measured
// in the same run (interleaved, so load from other work hits both alike).
// Targets: 50,000 items with cached judgments ≤ 1.5 × a bare `node -e` that reads and JSON.parses
// the file (issue 10); a 200 MB run (~230,000 items) ≤ 3 × the bare parse's time and peak memory
// ≤ 4 × the file size (issue 9). Run: npm run build && node bench/evaluate.mjs [--skip-200mb]
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, ROOT, figure, generate, median, items50k } from './lib.mjs';

/** The CLI to measure (RARFT_CLI=path/to/bin/rarft.js measures another build, e.g. main before a change). */
const CLI = process.env.RARFT_CLI ?? join(ROOT, 'bin', 'rarft.js');

const BARE = `const t=require('fs').readFileSync(process.argv[1],'utf8');JSON.parse(t);console.log(process.resourceUsage().maxRSS)`;

/** One whole-process run: wall ms and peak RSS (MB). */
function once(argv, env = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 28,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  const profile = /^profile: .*$/m.exec(r.stderr)?.[0] ?? '';
  const rss = Number(/maxRSS=(\d+)MB/.exec(profile)?.[1] ?? Number(r.stdout.trim()) / 1024);
  return { ms, rss, profile };
}

/** Alternates the bare parse and the evaluation `runs` times; medians of each. */
function sideBySide(file, runs) {
  const bare = [];
  const ev = [];
  for (let i = 0; i < runs; i++) {
    bare.push(once(['-e', BARE, file]));
    ev.push(
      once([CLI, 'evaluate', file, '--out', join(DATA, 'bench.metrics.json')], {
        RARFT_PROFILE: '1',
      }),
    );
  }
  const m = (xs, k) => median(xs.map((x) => x[k]));
  return {
    bare: m(bare, 'ms'),
    bareRss: m(bare, 'rss'),
    ev: m(ev, 'ms'),
    evRss: m(ev, 'rss'),
    profile: ev.at(-1).profile,
  };
}

const small = items50k();
const s = sideBySide(small, 7);
const mb = statSync(small).size / 1e6;
figure(
  `evaluate 50,000 items with cached judgments (${mb.toFixed(0)} MB), whole process, median of 7: ` +
    `${s.ev.toFixed(0)} ms vs bare node -e read+JSON.parse ${s.bare.toFixed(0)} ms`,
  (s.ev / s.bare).toFixed(2),
  '×',
  '≤ 1.5 ×',
  s.ev <= 1.5 * s.bare,
);
console.log(`  where it goes (last run): ${s.profile}`);

if (!process.argv.includes('--skip-200mb')) {
  const big = join(DATA, 'items230k.json');
  generate(big, 'charades.offline.items.json', 230_000, 11);
  const size = statSync(big).size / 1048576;
  const b = sideBySide(big, 3);
  figure(
    `evaluate ${size.toFixed(0)} MB run (230,000 items), whole process, median of 3: ${b.ev.toFixed(0)} ms vs bare parse ${b.bare.toFixed(0)} ms`,
    (b.ev / b.bare).toFixed(2),
    '×',
    '≤ 3 ×',
    b.ev <= 3 * b.bare,
  );
  figure(
    `  peak memory ${b.evRss.toFixed(0)} MB (bare parse ${b.bareRss.toFixed(0)} MB)`,
    (b.evRss / size).toFixed(2),
    '× the file size',
    '≤ 4 ×',
    b.evRss <= 4 * size,
  );
  console.log(`  where it goes (last run): ${b.profile}`);
}
