import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { annotationFilesOf, fileSha256, judgeRun } from '../../../src/core/report/judgedRun';
import { offlineJudge } from '../../../src/core/eval/judge';
import { rarft } from '../../support/cli';
import { cut, tempDir, text } from '../../support/fixtures';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Two small runs and the annotation file they were made on, in a temp folder. */
function workspace() {
  const dir = tempDir();
  const anno = join(dir, 'anno.json');
  const entries = cut('hi_vtg_charades.json', 2);
  writeFileSync(anno, text(entries));
  const items = entries.flatMap((e: { video: string; GRPO: { q: string; r: boolean }[]; timestamp: number[] }) =>
    e.GRPO.map((q) => ({
      video: e.video,
      query: q.q,
      gt_relevant: q.r,
      gt_timestamp: q.r ? e.timestamp : null,
      model_output: `<think>x</think><answer>${q.r ? '1.0 to 5.0' : 'not in the video'}</answer>`,
    })),
  );
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  writeFileSync(a, text(items));
  writeFileSync(b, text(items.map((it) => ({ ...it, model_output: '<answer>2.0 to 6.0</answer>' }))));
  return { dir, anno, a, b };
}

test('fileSha256 and annotationFilesOf: recorded paths resolved against the run folder, named files once, hashed', async () => {
  const { dir, anno } = workspace();
  assert.equal(await fileSha256(anno), sha(anno));
  const files = await annotationFilesOf(
    [{ path: 'anno.json' }, { path: 'gone.json' }, { path: '/elsewhere/x.json', sha256: 'recorded' }],
    [anno, anno],
    dir,
  );
  assert.deepEqual(files, [
    { path: 'anno.json', sha256: sha(anno) },
    { path: 'gone.json' },
    { path: '/elsewhere/x.json', sha256: 'recorded' },
  ]);
});

test('judgeRun: the run file and its annotation files carry their sha256 in the provenance', async () => {
  const { a, anno } = workspace();
  const items = JSON.parse(readFileSync(a, 'utf8'));
  const run = await judgeRun(a, items, { judge: offlineJudge, annotationFiles: [anno] });
  assert.equal(run.judgments.length, items.length);
  assert.equal(run.provenance.sha256, sha(a));
  assert.equal(run.provenance.judge, 'offline');
  assert.deepEqual(run.provenance.annotationFiles, [{ path: anno, sha256: sha(anno) }]);
});

test('rarft compare --anno: --json and the text name each run and annotation file with its sha256', () => {
  const { a, b, anno } = workspace();
  const r = rarft(['compare', a, b, '--json', '--resamples', '100', '--anno', anno]);
  assert.equal(r.status, 0, r.stderr);
  const p = JSON.parse(r.stdout).provenance;
  assert.equal(p.a.path, a);
  assert.equal(p.a.sha256, sha(a));
  assert.equal(p.b.sha256, sha(b));
  assert.notEqual(p.a.sha256, p.b.sha256);
  for (const side of [p.a, p.b]) assert.deepEqual(side.annotation_files, [{ path: anno, sha256: sha(anno) }]);
  const t = rarft(['compare', a, b, '--resamples', '100', '--anno', anno]);
  assert.equal(t.status, 0, t.stderr);
  assert.ok(t.stdout.includes(`A: ${a} (sha256 ${sha(a)})`), t.stdout);
  assert.ok(t.stdout.includes(`annotation file: ${anno} (sha256 ${sha(anno)})`), t.stdout);
  const plain = rarft(['compare', a, b, '--resamples', '100']);
  assert.match(plain.stdout, /annotation files: not recorded \(give them with --anno\)/);
});

test('rarft report --anno: the provenance block holds the run and annotation hashes; a run as --anno is refused', () => {
  const { dir, a, b, anno } = workspace();
  const out = join(dir, 'report.html');
  const r = rarft(['report', a, '--compare', b, '--anno', anno, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const html = readFileSync(out, 'utf8');
  assert.ok(html.includes(sha(a)), 'run A hash');
  assert.ok(html.includes(sha(b)), 'run B hash');
  assert.ok(
    html.includes(`${JSON.stringify(`${anno} (sha256 ${sha(anno)})`).slice(1, -1)}`),
    'annotation file and hash',
  );
  const bad = rarft(['report', a, '--anno', b, '--out', join(dir, 'x.html')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /b\.json: not an annotation file \(found inference\)/);
  const missing = rarft(['compare', a, b, '--anno', join(dir, 'nope.json')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.json/);
});
