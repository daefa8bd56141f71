import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rarft } from '../../support/cli';
import { cut, referencePath, samplePath, tempDir, text } from '../../support/fixtures';

const noStack = (stderr: string) => assert.doesNotMatch(stderr, /\n\s+at /, `stack trace printed:\n${stderr}`);
const tmpLeft = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

function smallRun(dir: string): string {
  const items = JSON.parse(readFileSync(referencePath('charades.offline.items.json'), 'utf8')).slice(0, 6);
  const p = join(dir, 'items.json');
  writeFileSync(p, text(items));
  return p;
}

test('an output that cannot be written (the path is a folder) fails with exit 1, names it, no stack, no temp file left', () => {
  const dir = tempDir();
  const items = smallRun(dir);
  const blocked = join(dir, 'out.json');
  mkdirSync(blocked);
  const runs = [
    ['evaluate', items, '--out', blocked],
    ['evaluate', items, '--out', join(dir, 'm.json'), '--items-out', blocked],
    ['rewards', items, '--anno', samplePath('hi_vtg_charades.json'), '--out', blocked],
  ];
  for (const args of runs) {
    const r = rarft(args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`${blocked.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot write`));
    noStack(r.stderr);
    assert.deepEqual(tmpLeft(dir), []);
  }
  const shards = join(dir, 'shards');
  mkdirSync(shards);
  writeFileSync(join(shards, 'inference_results_gpu0.json'), readFileSync(items));
  mkdirSync(join(shards, 'inference_results_merged.json'));
  const r = rarft(['merge', shards]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /inference_results_merged\.json: cannot write/);
  noStack(r.stderr);
  assert.deepEqual(tmpLeft(shards), []);
});

test('evaluate and rewards refuse an annotation file given as the items instead of judging it', () => {
  const dir = tempDir();
  const anno = join(dir, 'anno.json');
  writeFileSync(anno, text(cut('human_anno.json', 2)));
  const ev = rarft(['evaluate', anno, '--out', join(dir, 'm.json')]);
  assert.equal(ev.status, 1, ev.stdout);
  assert.match(ev.stderr, /anno\.json: .*annotation file/);
  assert.equal(existsSync(join(dir, 'm.json')), false);
  const rw = rarft(['rewards', anno, '--anno', samplePath('human_anno.json'), '--out', join(dir, 'r.json')]);
  assert.equal(rw.status, 1, rw.stdout);
  assert.match(rw.stderr, /anno\.json: .*annotation file/);
  assert.equal(existsSync(join(dir, 'r.json')), false);
});

test('rewards: broken JSON in an --anno file is reported with its line and column', () => {
  const dir = tempDir();
  const items = smallRun(dir);
  const t = text(cut('human_anno.json', 2));
  writeFileSync(join(dir, 'cut.json'), t.slice(0, t.length >> 1));
  const r = rarft(['rewards', items, '--anno', join(dir, 'cut.json'), '--out', join(dir, 'r.json')]);
  assert.equal(r.status, 1);
  const lines = t.slice(0, t.length >> 1).split('\n');
  assert.match(r.stderr, new RegExp(`cut\\.json:${lines.length}:\\d+: not valid JSON`));
});

test('rewards --anno takes several files after one flag, as its usage line shows', () => {
  const dir = tempDir();
  const items = smallRun(dir);
  // One item from each annotation file (an --anno that matches no item is an error).
  const h = cut('human_anno.json', 1)[0];
  const rows = JSON.parse(readFileSync(items, 'utf8')).slice(0, 5);
  rows.push({ video: h.video, query: h.GRPO[0].q, model_output: '<answer>1 to 2</answer>' });
  writeFileSync(items, text(rows));
  const out = join(dir, 'r.json');
  const r = rarft([
    'rewards',
    items,
    '--anno',
    samplePath('hi_vtg_charades.json'),
    samplePath('human_anno.json'),
    '--out',
    out,
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).length, 6);
  const twice = rarft([
    'rewards',
    items,
    '--anno',
    samplePath('hi_vtg_charades.json'),
    '--anno',
    samplePath('human_anno.json'),
    '--out',
    join(dir, 'r2.json'),
  ]);
  assert.equal(twice.status, 0, twice.stderr);
  assert.equal(readFileSync(join(dir, 'r2.json'), 'utf8'), readFileSync(out, 'utf8'));
});

test('index says when a file named on the command line is not an HI-VTG file, instead of dropping it silently', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'object.json'), '{"videos": {"a.mp4": []}}\n');
  const r = rarft(['index', join(dir, 'object.json')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /object\.json: not an HI-VTG file/);
  // Inside a scanned folder, other JSON (package.json, configs) stays quietly ignored.
  const folder = rarft(['index', dir]);
  assert.equal(folder.stderr, '');
});

test('evaluate refuses the same path for --out and --items-out (one would overwrite the other)', () => {
  const dir = tempDir();
  const items = smallRun(dir);
  const same = join(dir, 'same.json');
  const r = rarft(['evaluate', items, '--out', same, '--items-out', same]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--out and --items-out/);
  assert.equal(existsSync(same), false);
});

test('merge of a file (not a folder) says so instead of "no such folder"', () => {
  const dir = tempDir();
  const items = smallRun(dir);
  const r = rarft(['merge', items]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /items\.json: not a folder/);
});

test('evaluate: an item that is not an object is named with its line and column', () => {
  const dir = tempDir();
  const items = JSON.parse(readFileSync(smallRun(dir), 'utf8'));
  items.splice(2, 0, 'oops');
  const t = text(items);
  writeFileSync(join(dir, 'bad.json'), t);
  const r = rarft(['evaluate', join(dir, 'bad.json'), '--out', join(dir, 'm.json')]);
  assert.equal(r.status, 1);
  const before = t.slice(0, t.indexOf('"oops"')).split('\n');
  assert.match(
    r.stderr,
    new RegExp(`bad\\.json:${before.length}:${before[before.length - 1].length + 1}: item 2 is not an object`),
  );
  assert.equal(existsSync(join(dir, 'm.json')), false);
});

test('a --timeout too large for a timer is a usage error, not a 1 ms timeout', () => {
  const dir = tempDir();
  const items = smallRun(dir);
  const ev = rarft([
    'evaluate',
    items,
    '--out',
    join(dir, 'm.json'),
    '--judge',
    'llm',
    '--model',
    'm',
    '--base-url',
    'http://127.0.0.1:9/v1',
    '--timeout',
    '1e7',
  ]);
  assert.equal(ev.status, 2, ev.stderr);
  assert.match(ev.stderr, /--timeout: expected a number/);
  const dl = rarft([
    'models',
    'download',
    'all-MiniLM-L6-v2',
    '--to',
    join(dir, 'model'),
    '--base-url',
    'http://127.0.0.1:9',
    '--timeout',
    '1e7',
  ]);
  assert.equal(dl.status, 2, dl.stderr);
  assert.match(dl.stderr, /--timeout: expected a number/);
});
