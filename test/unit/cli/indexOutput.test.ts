import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { rarft } from '../../support/cli';
import { samplePath, tempDir } from '../../support/fixtures';

const human = samplePath('human_anno.json');

test('index text output: counts per code, errors listed before warnings', () => {
  const r = rarft(['index', samplePath('hi_vtg_charades.json'), human]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /problems: 20 errors, 168 warnings, 0 info/);
  assert.match(r.stdout, /^ {2}empty-answer \(error\): 20$/m);
  assert.match(r.stdout, /^ {2}timestamp-out-of-range \(warning\): 166$/m);
  const listed = r.stdout.split('\n').filter((l) => /^\S+:\d+:\d+: (error|warning|info) /.test(l));
  const firstWarning = listed.findIndex((l) => / warning /.test(l));
  assert.equal(firstWarning, 20, 'the 20 errors come first');
  assert.ok(listed.slice(firstWarning).every((l) => / warning /.test(l)));
});

test('index --severity and --code select problems (text and --json); bad values are usage errors', () => {
  const errors = rarft(['index', human, '--severity', 'error', '--json']);
  const j = JSON.parse(errors.stdout);
  assert.equal(j.problems.length, 20);
  assert.ok(j.problems.every((p: any) => p.severity === 'error'));
  const byCode = rarft(['index', human, '--code', 'duplicate-query,answer-missing-tags']);
  assert.match(byCode.stdout, /1 of 21 problems selected by the filters/);
  assert.equal((byCode.stdout.match(/\[duplicate-query\]|\[answer-missing-tags\]/g) ?? []).length, 1);
  const bad = rarft(['index', human, '--severity', 'fatal']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--severity must be one of error, warning, info/);
});

test('index --strict exits 1 when a selected problem is an error, 0 otherwise', () => {
  assert.equal(rarft(['index', human, '--strict']).status, 1);
  assert.equal(rarft(['index', human, '--strict', '--severity', 'error', '--json']).status, 1);
  assert.equal(rarft(['index', human, '--strict', '--code', 'duplicate-query']).status, 0);
  assert.equal(rarft(['index', human]).status, 0);
});

test('index names a looping link and a FIFO in its own words, and does not hang', () => {
  const dir = tempDir();
  symlinkSync('loop.json', join(dir, 'loop.json'));
  execFileSync('mkfifo', [join(dir, 'fifo.json')]);
  const loop = rarft(['index', join(dir, 'loop.json')]);
  assert.equal(loop.status, 1);
  assert.match(loop.stderr, /loop\.json: a symbolic link that loops/);
  assert.doesNotMatch(loop.stderr, /ELOOP|\n\s+at /);
  const folder = rarft(['index', dir]);
  assert.equal(folder.status, 0);
  assert.match(folder.stderr, /fifo\.json: a named pipe \(FIFO\), not a regular file: skipped/);
  assert.match(folder.stderr, /loop\.json: a symbolic link that loops/);
});

test('merge says a looping link in its own words, naming the path', () => {
  const dir = tempDir();
  symlinkSync('loop', join(dir, 'loop'));
  const r = rarft(['merge', join(dir, 'loop')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /loop: a symbolic link that loops/);
  symlinkSync('inference_results_gpu0.json', join(dir, 'inference_results_gpu0.json'));
  const shard = rarft(['merge', dir]);
  assert.equal(shard.status, 1);
  assert.match(shard.stderr, /inference_results_gpu0\.json: a symbolic link that loops/);
  assert.doesNotMatch(shard.stderr, /ELOOP|\n\s+at /);
});
