/**
 * Splitting by video: groups of queries that must stay together (a video, and with grouping on,
 * videos linked by near-duplicate queries) are shuffled with a seed and dealt to the splits so
 * that within each stratum (the group's set of difficulties) every split gets its share.
 */
import { seededRandom } from '../random';
import { CurationError } from './annoDoc';

/** A named split and its share (normalised to sum to 1). */
export interface SplitSpec {
  name: string;
  ratio: number;
}

/** Parses `train=0.8,val=0.1,test=0.1`; shares are normalised, so `8,1,1` works too. */
export function parseSplit(text: string): SplitSpec[] {
  const parts = text.split(',').map((p) => p.trim());
  const specs: SplitSpec[] = [];
  for (const p of parts) {
    const m = /^([A-Za-z0-9_-]+)\s*=\s*([0-9]*\.?[0-9]+)$/.exec(p);
    if (!m) throw new CurationError(`--split: expected name=share,… (e.g. train=0.8,val=0.1,test=0.1), got '${p}'`);
    if (m[1] === 'manifest') throw new CurationError(`--split: 'manifest' is taken by manifest.json`);
    if (specs.some((s) => s.name === m[1])) throw new CurationError(`--split: '${m[1]}' named twice`);
    specs.push({ name: m[1], ratio: Number(m[2]) });
  }
  const sum = specs.reduce((a, s) => a + s.ratio, 0);
  if (!(sum > 0)) throw new CurationError('--split: the shares add up to 0');
  return specs.map((s) => ({ name: s.name, ratio: s.ratio / sum }));
}

/** A unit of assignment. */
export interface SplitGroup {
  /** Queries in the group (the weight). */
  size: number;
  /** Stratum: groups of one stratum are dealt out together. */
  stratum: string;
}

/**
 * Assigns each group to a split index. Groups are shuffled per stratum (seeded), then each goes
 * to the split furthest below its share of that stratum's queries so far.
 */
export function assignSplits(groups: readonly SplitGroup[], specs: readonly SplitSpec[], seed: number): number[] {
  const rand = seededRandom(seed);
  const byStratum = new Map<string, number[]>();
  groups.forEach((g, i) => {
    let l = byStratum.get(g.stratum);
    if (!l) byStratum.set(g.stratum, (l = []));
    l.push(i);
  });
  const out = new Array<number>(groups.length).fill(0);
  for (const key of [...byStratum.keys()].sort()) {
    const list = byStratum.get(key) as number[];
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    const got = specs.map(() => 0);
    let total = 0;
    for (const g of list) {
      total += groups[g].size;
      let best = 0;
      let bestDeficit = -Infinity;
      specs.forEach((s, k) => {
        const deficit = s.ratio * total - got[k];
        if (deficit > bestDeficit + 1e-12) [best, bestDeficit] = [k, deficit];
      });
      out[g] = best;
      got[best] += groups[g].size;
    }
  }
  return out;
}

/** Union-find over indexes. */
export class UnionFind {
  private readonly parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    while (this.parent[x] !== x) x = this.parent[x] = this.parent[this.parent[x]];
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}
