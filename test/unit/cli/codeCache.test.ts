/**
 * bin/rarft.js runs the bundle from a V8 code cache the previous run of the same command left:
 * the second run reads it (and gives the same output), a damaged cache is replaced, a failed run
 * and RARFT_NO_CODE_CACHE leave none, and code that imports a module at run time (the report's
 * assets) still works when compiled from the cache.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { rarft } from '../../support/cli';
import { referencePath, tempDir } from '../../support/fixtures';

const caches = (dir: string) => {
  try {
    return readdirSync(join(dir, 'rarft')).sort();
  } catch {
    return [];
  }
};

test('the second run of a command compiles from the cache the first left, with the same output', () => {
  const home = tempDir('rarft-code-cache-');
  const work = tempDir('rarft-code-cache-run-');
  try {
    const env = { XDG_CACHE_HOME: home };
    const input = join(work, 'run.json');
    writeFileSync(input, readFileSync(referencePath('charades.items.json')));
    const args = ['evaluate', input, '--out', join(work, 'metrics.json'), '--force'];
    const first = rarft(args, work, env);
    assert.equal(first.status, 0, first.stderr);
    const [file, ...more] = caches(home);
    assert.match(file, /^cli-evaluate-[0-9a-z]+-[0-9a-z]+\.v8$/);
    assert.deepEqual(more, []);
    const written = statSync(join(home, 'rarft', file));
    assert.ok(written.size > 10_000, `a cache of the compiled functions (${written.size} bytes)`);

    const second = rarft(args, work, env);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
    assert.equal(
      statSync(join(home, 'rarft', file)).mtimeMs,
      written.mtimeMs,
      'an accepted cache is not written again',
    );

    // A damaged cache: V8 rejects it, the run goes on and leaves a good one in its place.
    writeFileSync(join(home, 'rarft', file), Buffer.alloc(4096, 7));
    const third = rarft(args, work, env);
    assert.equal(third.status, 0, third.stderr);
    assert.equal(third.stdout, first.stdout);
    assert.ok(statSync(join(home, 'rarft', file)).size > 10_000, 'the damaged cache was replaced');
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
});

test('report runs from its cache (it loads the dashboard bundle at run time); failed runs and the switch leave none', () => {
  const home = tempDir('rarft-code-cache-');
  const work = tempDir('rarft-code-cache-report-');
  try {
    const env = { XDG_CACHE_HOME: home };
    const args = ['report', referencePath('charades.items.json'), '--out', join(work, 'report.html')];
    for (const round of ['first', 'from the cache']) {
      const r = rarft(args, work, env);
      assert.equal(r.status, 0, `${round}: ${r.stderr}`);
      assert.match(readFileSync(join(work, 'report.html'), 'utf8'), /<script nonce=/, round);
    }
    assert.equal(caches(home).length, 1);

    assert.equal(rarft(['frobnicate'], work, env).status, 2);
    assert.equal(rarft(['evaluate', join(work, 'missing.json'), '--out', join(work, 'm.json')], work, env).status, 1);
    assert.deepEqual(
      caches(home).map((n) => n.split('-')[1]),
      ['report'],
      'no cache after a run that failed',
    );

    const off = tempDir('rarft-code-cache-off-');
    try {
      const r = rarft(['--version'], work, { XDG_CACHE_HOME: off, RARFT_NO_CODE_CACHE: '1' });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(caches(off), []);
    } finally {
      rmSync(off, { recursive: true, force: true });
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
});
