/** Small, real fixtures cut from the sample data shipped in the repository. */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(__dirname, '..', '..');

/** Path of a file under samples/data. */
export function samplePath(name: 'hi_vtg_charades.json' | 'human_anno.json'): string {
  return join(ROOT, 'samples', 'data', name);
}

/** Path of a file under test/fixtures/reference. */
export function referencePath(name: string): string {
  return join(ROOT, 'test', 'fixtures', 'reference', name);
}

const cache = new Map<string, unknown>();

/** A parsed sample file (cached; clone before mutating). */
export function loadSample(name: 'hi_vtg_charades.json' | 'human_anno.json'): any[] {
  if (!cache.has(name)) cache.set(name, JSON.parse(readFileSync(samplePath(name), 'utf8')));
  return cache.get(name) as any[];
}

/** The first `n` entries of a sample file, deep-copied. */
export function cut(name: 'hi_vtg_charades.json' | 'human_anno.json', n: number, from = 0): any[] {
  return structuredClone(loadSample(name).slice(from, from + n));
}

/** Pretty JSON text as the released files are written. */
export function text(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'rarft-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
