// Shared helpers for benchmarks: whole-process timing and figure lines with targets.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
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
