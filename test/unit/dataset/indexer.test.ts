import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify, toIndexJson } from '../../../src/core/dataset/indexer';
import { indexPaths } from '../../../src/core/dataset/indexFiles';
import { cut, referencePath, samplePath, tempDir, text } from '../../support/fixtures';

function referenceItems(name: string, n: number): any[] {
  return JSON.parse(readFileSync(referencePath(name), 'utf8')).slice(0, n);
}

test('file kinds are told apart by content', () => {
  assert.equal(classify('x.json', cut('human_anno.json', 1)), 'annotations');
  const inf = referenceItems('charades.offline.items.json', 2);
  assert.equal(classify('whatever.json', inf), 'inference');
  assert.equal(classify('inference_results_gpu3.json', inf), 'inference-shard');
  assert.equal(classify('inference_results_gpu3.json', referenceItems('charades.items.json', 2)), 'evaluation-items');
  assert.equal(classify('m.json', JSON.parse(readFileSync(referencePath('charades.metrics.json'), 'utf8'))), 'metrics');
  assert.equal(classify('package.json', { name: 'x' }), 'other');
  assert.equal(classify('list.json', [1, 2, 3]), 'other');
});

test('indexing a folder: kinds, counts, shards, problems with file positions, others ignored', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'anno'));
  mkdirSync(join(dir, 'runs', 'r1'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  writeFileSync(join(dir, 'anno', 'human.json'), readFileSync(samplePath('human_anno.json')));
  const inf = referenceItems('charades.offline.items.json', 10);
  writeFileSync(join(dir, 'runs', 'r1', 'inference_results_gpu0.json'), text(inf.slice(0, 5)));
  writeFileSync(join(dir, 'runs', 'r1', 'inference_results_gpu1.json'), text(inf.slice(5)));
  writeFileSync(join(dir, 'runs', 'r1', 'broken.json'), '[{"video": "a"');
  writeFileSync(join(dir, 'package.json'), '{"name": "not data"}');
  writeFileSync(join(dir, 'node_modules', 'skip.json'), 'not json at all');
  writeFileSync(join(dir, 'notes.txt'), 'ignored');

  const r = await indexPaths([dir], { relativeTo: dir });
  const json = toIndexJson(r) as any;
  assert.deepEqual(
    json.files.map((f: any) => [f.path, f.kind]),
    [
      ['anno/human.json', 'annotations'],
      ['runs/r1/broken.json', 'invalid'],
      ['runs/r1/inference_results_gpu0.json', 'inference-shard'],
      ['runs/r1/inference_results_gpu1.json', 'inference-shard'],
    ],
  );
  assert.deepEqual(json.totals, { files: 4, videos: 100, queries: 200, answerable: 100, refusable: 100 });
  const human = json.files[0];
  assert.equal(human.byCategory['Scene/SceneExistence'] > 0, true);
  assert.equal(json.files[2].queries, 5);
  const broken = json.problems.filter((p: any) => p.file === 'runs/r1/broken.json');
  assert.equal(broken.length, 1);
  assert.deepEqual([broken[0].line, broken[0].column, broken[0].code], [1, 15, 'invalid-json']);
  assert.equal(json.problems.filter((p: any) => p.code === 'empty-answer' && p.file === 'anno/human.json').length, 20);
  for (const p of json.problems)
    assert.deepEqual(Object.keys(p), ['file', 'line', 'column', 'severity', 'code', 'message']);
});

test('runs are joined to annotations by (video, query); ambiguous joins are reported', async () => {
  const dir = tempDir();
  const anno = cut('hi_vtg_charades.json', 3);
  const inf = referenceItems('charades.offline.items.json', 6);
  writeFileSync(join(dir, 'anno.json'), text(anno));
  inf[5].query = 'a query that is in no annotation';
  writeFileSync(join(dir, 'run.json'), text(inf));
  let r = await indexPaths([dir], { relativeTo: dir });
  let joins = r.problems.filter((p) => p.code.startsWith('join-'));
  assert.deepEqual(
    joins.map((p) => [p.code, p.file]),
    [['join-missing', 'run.json']],
  );
  const t = readFileSync(join(dir, 'run.json'), 'utf8');
  assert.equal(joins[0].line, t.slice(0, t.indexOf('"a query that is in no annotation"')).split('\n').length);

  writeFileSync(join(dir, 'anno2.json'), text(cut('hi_vtg_charades.json', 1)));
  r = await indexPaths([dir], { relativeTo: dir });
  joins = r.problems.filter((p) => p.code === 'join-ambiguous');
  assert.equal(joins.length, 2, 'both queries of the first video now match two annotation files');
  assert.match(joins[0].message, /anno.json entry 0; anno2.json entry 0/);
});

test('a missing path is an error the caller can report', async () => {
  await assert.rejects(indexPaths(['/no/such/folder']), {
    code: 'ENOENT',
    message: '/no/such/folder: no such file or folder',
  });
});
