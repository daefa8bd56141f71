import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { ensureBuilt, rarft } from '../../support/cli';
import { ROOT, referencePath, samplePath, tempDir, text } from '../../support/fixtures';

test('--version prints the package version', () => {
  const r = rarft(['--version']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
});

test('usage errors exit 2 and say what was expected', () => {
  for (const args of [
    [],
    ['frobnicate'],
    ['index'],
    ['evaluate', 'x.json'],
    ['evaluate', 'x.json', '--out'],
    ['index', '--bogus', '.'],
    ['merge'],
  ]) {
    const r = rarft(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
  }
  assert.match(rarft(['evaluate', 'x.json']).stderr, /usage: rarft evaluate <items.json> --out <metrics.json>/);
});

test('index --json over the sample data: totals, files and positioned problems', () => {
  const r = rarft(['index', samplePath('hi_vtg_charades.json'), samplePath('human_anno.json'), '--json']);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j), ['totals', 'files', 'problems', 'skipped']);
  assert.deepEqual(j.totals, { files: 2, videos: 853, queries: 2394, answerable: 1197, refusable: 1197 });
  assert.deepEqual(Object.keys(j.files[0]), [
    'path',
    'kind',
    'videos',
    'queries',
    'answerable',
    'refusable',
    'byDifficulty',
    'byCategory',
  ]);
  assert.deepEqual(j.files[0].byDifficulty, { original: 1097, easy: 204, hard: 530, medium: 363 });
  const human = readFileSync(samplePath('human_anno.json'), 'utf8').split('\n');
  const empty = j.problems.find((p: any) => p.code === 'empty-answer');
  assert.match(human[empty.line - 1].slice(empty.column - 1), /^""/);
});

test('index prints a readable table and exits 0 even with problems', () => {
  const r = rarft(['index', join(ROOT, 'samples', 'data')]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /human_anno\.json\s+annotations\s+100\s+200\s+100\s+100\s+21/);
  assert.match(r.stdout, /problems: 20 errors, 168 warnings/);
});

test('index of a missing folder fails with exit 1 naming it', () => {
  const r = rarft(['index', '/no/such/place']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\/no\/such\/place: no such file or folder/);
});

test('evaluate writes metrics and items, prints a summary', () => {
  const dir = tempDir();
  const r = rarft([
    'evaluate',
    referencePath('charades.offline.items.json'),
    '--out',
    join(dir, 'm.json'),
    '--items-out',
    join(dir, 'items.json'),
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /2194 items judged \(offline\)/);
  assert.match(r.stdout, /confusion TP\/FP\/FN\/TN\s+943 \/ 551 \/ 154 \/ 546/);
  const m = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
  assert.equal(m.relevance.confusion.TP, 943);
  const items = JSON.parse(readFileSync(join(dir, 'items.json'), 'utf8'));
  assert.equal(items.length, 2194);
  assert.equal(typeof items[0].classification_correct, 'boolean');
});

test('evaluate errors name the file, line and column', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'bad.json'), '[\n  {"video": "v",\n   "query": }\n]');
  const r = rarft(['evaluate', join(dir, 'bad.json'), '--out', join(dir, 'm.json')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.json:3:13: not valid JSON: expected a value/);
  writeFileSync(join(dir, 'obj.json'), '{"not": "a list"}');
  const o = rarft(['evaluate', join(dir, 'obj.json'), '--out', join(dir, 'm.json')]);
  assert.equal(o.status, 1);
  assert.match(o.stderr, /obj\.json: expected a JSON array/);
});

test('merge joins GPU shards and refuses to overwrite a different merge', () => {
  const dir = tempDir();
  const run = join(dir, 'run');
  mkdirSync(run);
  writeFileSync(join(run, 'inference_results_gpu0.json'), text([{ video: 'a', query: 'q0', model_output: '' }]));
  writeFileSync(join(run, 'inference_results_gpu1.json'), text([{ video: 'a', query: 'q1', model_output: '' }]));
  const r = rarft(['merge', run]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /2 items from gpu0 \(1\), gpu1 \(1\)/);
  writeFileSync(join(run, 'inference_results_merged.json'), '[]');
  const again = rarft(['merge', run]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /exists and differs.*--force/);
  assert.equal(rarft(['merge', run, '--force']).status, 0);
});

test('a reader that closes the pipe early (| head) ends the command quietly with status 0', async () => {
  ensureBuilt();
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'rarft.js'), 'index', samplePath('hi_vtg_charades.json'), '--json'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.destroy(); // closed before the command writes anything: its first write gets EPIPE
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(stderr, '');
  assert.equal(status, 0);
});
