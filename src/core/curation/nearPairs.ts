/**
 * Pairs of unit vectors whose cosine is at least a threshold, among many (10,000 queries make
 * 50 million pairs: too many to compare in full). Random-hyperplane signatures (128 bits) pick
 * the candidates; every candidate's cosine is then computed exactly, so nothing below the
 * threshold is ever reported. The Hamming bound is four standard deviations above what a pair
 * exactly at the threshold would show, so a pair at the threshold is missed with a probability
 * of about 3 in 100,000 (less the closer it is).
 */
import { seededRandom } from '../random';

const BITS = 128;
const WORDS = BITS / 32;

function gaussianPlanes(dim: number, seed: number): Float32Array {
  const rand = seededRandom(seed); // the same hyperplanes, so the same findings, on every run
  const out = new Float32Array(BITS * dim);
  for (let i = 0; i < out.length; i++) {
    const u = Math.max(rand(), 1e-12);
    out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  }
  return out;
}

/** 128-bit sign signatures of the vectors. */
function signatures(vectors: readonly Float32Array[], dim: number): Int32Array {
  const planes = gaussianPlanes(dim, 0x5eed);
  const sig = new Int32Array(vectors.length * WORDS);
  vectors.forEach((v, i) => {
    for (let b = 0; b < BITS; b++) {
      let s = 0;
      const o = b * dim;
      for (let d = 0; d < dim; d++) s += planes[o + d] * v[d];
      if (s >= 0) sig[i * WORDS + (b >> 5)] |= 1 << (b & 31);
    }
  });
  return sig;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) | 0;
}

/** Exact cosine of two unit vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  const n = a.length;
  let d = 0;
  for (; d + 1 < n; d += 2) {
    s0 += a[d] * b[d];
    s1 += a[d + 1] * b[d + 1];
  }
  if (d < n) s0 += a[d] * b[d];
  return s0 + s1;
}

/** The Hamming distance a pair at cosine `t` stays under with four standard deviations to spare. */
export function hammingBound(t: number): number {
  const p = Math.acos(Math.min(1, Math.max(-1, t))) / Math.PI;
  return Math.ceil(BITS * p + 4 * Math.sqrt(BITS * p * (1 - p)));
}

/** A pair of indexes (i < j) and their cosine. */
export interface NearPair {
  i: number;
  j: number;
  cos: number;
}

/** Pairs kept at most: a low threshold (or a model that embeds everything alike) must not exhaust memory. */
export const MAX_PAIRS = 20000;

/**
 * Every pair with cosine ≥ `threshold` among unit vectors (found as described above), the first
 * `max` of them in row order (`more` counts the rest); `skip` leaves pairs out before their
 * cosine is computed. `onRow` is called now and then with the row reached, and may throw to stop.
 */
export function nearPairs(
  vectors: readonly Float32Array[],
  threshold: number,
  skip?: (i: number, j: number) => boolean,
  onRow?: (i: number) => void,
  max = MAX_PAIRS,
): NearPair[] & { more?: number } {
  const n = vectors.length;
  const out: NearPair[] & { more?: number } = [];
  if (n < 2) return out;
  const sig = signatures(vectors, vectors[0].length);
  const bound = hammingBound(threshold);
  let more = 0;
  for (let i = 0; i < n; i++) {
    if ((i & 255) === 0) onRow?.(i);
    const a0 = sig[i * 4];
    const a1 = sig[i * 4 + 1];
    const a2 = sig[i * 4 + 2];
    const a3 = sig[i * 4 + 3];
    for (let j = i + 1; j < n; j++) {
      const o = j * 4;
      const h =
        popcount(a0 ^ sig[o]) + popcount(a1 ^ sig[o + 1]) + popcount(a2 ^ sig[o + 2]) + popcount(a3 ^ sig[o + 3]);
      if (h > bound || skip?.(i, j)) continue;
      const c = dot(vectors[i], vectors[j]);
      if (c < threshold) continue;
      if (out.length < max) out.push({ i, j, cos: c });
      else more++;
    }
  }
  if (more) out.more = more;
  return out;
}
