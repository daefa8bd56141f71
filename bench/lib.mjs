// Shared helpers for benchmarks: whole-process timing and figure lines with targets.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DATA = join(ROOT, 'bench', '.data');
mkdirSync(DATA, { recursive: true });

/** Runs `rarft ...args` as a whole process `runs` times; returns wall times (ms) and the last profile line. */
export function timeCli(args, runs = 5) {
  const times = [];
  let profile = '';
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'rarft.js'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, RARFT_PROFILE: '1' },
      maxBuffer: 1 << 30,
    });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`rarft ${args.join(' ')} failed: ${r.stderr}`);
    profile = /^profile: .*$/m.exec(r.stderr)?.[0] ?? '';
  }
  return { times, median: median(times), profile };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Prints one figure beside its target, with ok/MISSED. */
export function figure(name, value, unit, target, ok) {
  console.log(`${name}: ${value}${unit} (target ${target}) ${ok ? 'ok' : 'MISSED'}`);
}

export { rng } from '../scripts/lib/random.mjs';

/** Writes n items cut from a reference file, videos renamed per copy, answer spans jittered. */
export function generate(file, source, n, seed) {
  if (existsSync(file)) return;
  const base = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/reference', source), 'utf8'));
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < n; i++) {
    const it = structuredClone(base[i % base.length]);
    it.video = it.video.replace('.mp4', `_${Math.floor(i / base.length)}.mp4`);
    if (it.gt_relevant && Array.isArray(it.gt_timestamp)) {
      const j = (r() - 0.5) * 2;
      it.model_output = it.model_output.replace(
        /<answer>(\d+\.?\d*) to (\d+\.?\d*)<\/answer>/,
        (_m, a, b) => `<answer>${(+a + j).toFixed(2)} to ${(+b + j).toFixed(2)}</answer>`,
      );
    }
    out.push(it);
  }
  writeFileSync(file, JSON.stringify(out, null, 2));
}

/** The 50,000-item run with cached judgments that issue 10's evaluate bar is measured on (made once). */
export function items50k() {
  const file = join(DATA, 'items50k.cached.json');
  generate(file, 'charades.items.json', 50_000, 7);
  return file;
}

/**
 * The yardstick of issue 10's bars: a bare `node -e` that reads and JSON.parses items50k(), whole
 * process, median of `runs`. Where the issue was filed it took 330 ms ("700 vs 330 ms"): its
 * bars stated in seconds (dashboard 1 s, compare 2 s, report 3 s) are that many yardsticks, and
 * are held here as those ratios (machines differ; the ratio is what moves with the code).
 */
export const ISSUE10_YARDSTICK_MS = 330;
export function issue10Yardstick(runs = 5) {
  const file = items50k();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [
      '-e',
      `JSON.parse(require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`,
    ]);
    if (r.status !== 0) throw new Error(String(r.stderr));
    times.push(performance.now() - t0);
  }
  return median(times);
}
