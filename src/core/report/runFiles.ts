/** Files that travel with a run: its `metrics.json` (provenance) and a `rewards.json` beside it. */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { looksLikeMetrics } from '../dataset/runs';

/** The `metrics.json` written with an items file: `X_items.json` → `X.json`, `X.items.json` → `X.metrics.json`, else `metrics.json` beside it. */
export function metricsBeside(itemsPath: string): Record<string, unknown> | undefined {
  const dir = dirname(itemsPath);
  const name = basename(itemsPath);
  const candidates = [
    join(dir, name.replace(/_items(\.json)$/i, '$1')),
    join(dir, name.replace(/\.items\.json$/i, '.metrics.json')),
    join(dir, 'metrics.json'),
  ];
  for (const c of candidates) {
    if (c === itemsPath || !existsSync(c)) continue;
    try {
      const v = JSON.parse(readFileSync(c, 'utf8'));
      if (looksLikeMetrics(v)) return v as Record<string, unknown>;
    } catch {
      // Not a metrics file: the run is shown without its provenance.
    }
  }
  return undefined;
}

/** The `rarft rewards` output beside a run (`rewards.json`), when there is one that reads as such. */
export function rewardsBeside(itemsPath: string): Record<string, unknown>[] | undefined {
  const p = join(dirname(itemsPath), 'rewards.json');
  if (!existsSync(p)) return undefined;
  try {
    const v = JSON.parse(readFileSync(p, 'utf8'));
    return Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && 'format' in x) ? v : undefined;
  } catch {
    return undefined;
  }
}
