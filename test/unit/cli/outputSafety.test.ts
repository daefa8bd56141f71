import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rarft } from '../../support/cli';
import { cut, referencePath, samplePath, tempDir, text } from '../../support/fixtures';

function smallRun(dir: string, n = 6): string {
  const items = JSON.parse(readFileSync(referencePath('charades.offline.items.json'), 'utf8')).slice(0, n);
  const p = join(dir, 'items.json');
  writeFileSync(p, text(items));
  return p;
}

test('evaluate --out naming its own input is refused (exit 2, both named) and the input is kept', () => {
  const dir = tempDir();
  const items = smallRun(dir);
  const before = readFileSync(items, 'utf8');
  const r = rarft(['evaluate', items, '--out', items]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--out .*items\.json is the input items .*items\.json/);
  assert.equal(readFileSync(items, 'utf8'), before);
  // The same file through a symlinked folder is the same real path.
  const r2 = rarft(['evaluate', items, '--out', join(dir, '.', 'sub', '..', 'items.json')]);
  assert.equal(r2.status, 2, r2.stderr);
  assert.equal(readFileSync(items, 'utf8'), before);
});

test('rewards --out naming an --anno file is refused, and so is --out on an existing annotation file or run', () => {
  const dir = tempDir();
  const anno = join(dir, 'a.json');
  writeFileSync(anno, text(cut('human_anno.json', 3)));
  const before = readFileSync(anno, 'utf8');
  const items = smallRun(dir);
  const r = rarft(['rewards', items, '--anno', anno, '--out', anno]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--out .*a\.json is the input --anno .*a\.json/);
  assert.equal(readFileSync(anno, 'utf8'), before);

  const other = join(dir, 'other_anno.json');
  writeFileSync(other, readFileSync(samplePath('human_anno.json')));
  const e = rarft(['evaluate', items, '--out', other]);
  assert.equal(e.status, 2, e.stderr);
  assert.match(e.stderr, /--out .*other_anno\.json exists and is not a metrics file written by rarft/);
  const run = join(dir, 'run.json');
  writeFileSync(run, readFileSync(items));
  const e2 = rarft(['evaluate', items, '--out', join(dir, 'm.json'), '--items-out', run]);
  assert.equal(e2.status, 2, e2.stderr);
  assert.equal(readFileSync(run, 'utf8'), readFileSync(items, 'utf8'));
  assert.equal(existsSync(join(dir, 'm.json')), false, 'refused before anything was written');
  // --force overrides; our own outputs are replaced without it.
  assert.equal(rarft(['evaluate', items, '--out', other, '--force']).status, 0);
  const again = rarft(['evaluate', items, '--out', other]);
  assert.equal(again.status, 0, again.stderr);
});

test('evaluate writes items first and metrics last with a run id and the items size; stale temp files of dead runs are cleared', () => {
  const dir = tempDir();
  const items = smallRun(dir);
  const out = join(dir, 'metrics.json');
  const itemsOut = join(dir, 'metrics_items.json');
  const stale = join(dir, `.metrics_items.json.999999999.deadbeef.tmp`);
  const live = join(dir, `.metrics_items.json.${process.pid}.cafebabe.tmp`);
  writeFileSync(stale, 'half of an old run');
  writeFileSync(live, 'another run still writing');
  const r = rarft(['evaluate', items, '--out', out, '--items-out', itemsOut]);
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(readFileSync(out, 'utf8'));
  assert.match(m.evaluation.run_id, /^\d{4}-\d\d-\d\dT.*-[0-9a-f]{6}$/);
  assert.equal(m.evaluation.items_file.bytes, statSync(itemsOut).size);
  assert.ok(statSync(out).mtimeMs >= statSync(itemsOut).mtimeMs, 'metrics written last');
  assert.equal(existsSync(stale), false, 'the dead run’s temp file is removed');
  assert.equal(existsSync(live), true, 'a running process’s temp file is left alone');
});

test('a number a double cannot hold (1e400) is an error at read time with file:line:col, not a null written back', () => {
  const dir = tempDir();
  const items = JSON.parse(readFileSync(referencePath('charades.offline.items.json'), 'utf8')).slice(0, 4);
  const t = text(items).replace(/"gt_timestamp": \[\n\s+([0-9.]+),/, '"gt_timestamp": [\n      1e400,');
  assert.match(t, /1e400/);
  const file = join(dir, 'items.json');
  writeFileSync(file, t);
  const r = rarft(['evaluate', file, '--out', join(dir, 'm.json'), '--items-out', join(dir, 'o.json')]);
  assert.equal(r.status, 1, r.stderr);
  const m = /items\.json:(\d+):(\d+): error wrong-type: item \d+: "gt_timestamp"\[0\] is a number too large/.exec(
    r.stderr,
  );
  assert.ok(m, r.stderr);
  assert.match(t.split('\n')[Number(m[1]) - 1].slice(Number(m[2]) - 1), /^1e400/);
  assert.equal(existsSync(join(dir, 'o.json')), false);
});

test('an output under a path through a file says so in our words, never naming our temp file', () => {
  const dir = tempDir();
  const items = smallRun(dir);
  writeFileSync(join(dir, 'file'), 'x');
  const r = rarft(['evaluate', items, '--out', join(dir, 'file', 'm.json')]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /file\/m\.json: cannot write: a part of its folder path is a file, not a folder/);
  assert.doesNotMatch(r.stderr, /\.tmp/);
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.endsWith('.tmp')),
    [],
  );
});
