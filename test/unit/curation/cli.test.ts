import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rarft } from '../../support/cli';
import { cut, tempDir, text } from '../../support/fixtures';
import { TINY_VOCAB, writeModelFolder } from '../../support/tinyBert';

let dir: string;
let anno: string;
let entries: any[];

before(() => {
  dir = tempDir('rarft-curation-cli-');
  entries = cut('hi_vtg_charades.json', 40);
  anno = join(dir, 'anno.json');
  writeFileSync(anno, text(entries));
});

test('rarft flag add, list --json, remove; a sample not in the file is refused', () => {
  const e = entries[3];
  const q = e.GRPO[0].q;
  let r = rarft(
    ['flag', 'add', 'anno.json', '--video', e.video, '--query', q, '--tag', 'needs-review', '--note', 'span?'],
    dir,
  );
  assert.equal(r.status, 0, r.stderr);
  r = rarft(['flag', 'add', 'anno.json', '--video', e.video, '--tag', 'bad-video'], dir);
  assert.equal(r.status, 0, r.stderr);
  r = rarft(['flag', 'list', '--json'], dir);
  const flags = JSON.parse(r.stdout).flags;
  assert.deepEqual(
    flags.map((f: any) => [f.file, f.query, f.tag, f.note]),
    [
      ['anno.json', null, 'bad-video', undefined],
      ['anno.json', q, 'needs-review', 'span?'],
    ],
  );
  r = rarft(['flag', 'add', 'anno.json', '--video', e.video, '--query', 'no such query', '--tag', 'x'], dir);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /has no query "no such query"/);
  r = rarft(['flag', 'add', 'anno.json', '--video', e.video], dir);
  assert.equal(r.status, 2);
  r = rarft(['flag', 'remove', 'anno.json', '--video', e.video, '--tag', 'bad-video'], dir);
  assert.equal(r.status, 0, r.stderr);
  r = rarft(['flag', 'list'], dir);
  assert.match(r.stdout, /needs-review\s+anno\.json/);
  assert.doesNotMatch(r.stdout, /bad-video/);
  r = rarft(['flag', 'frob'], dir);
  assert.equal(r.status, 2);
});

test('rarft audit --json without a model: the exact shape, and the embedding checks named as not run', () => {
  const r = rarft(['audit', 'anno.json', '--json'], dir);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ['findings']);
  assert.ok(out.findings.length > 0);
  for (const f of out.findings) {
    assert.deepEqual(Object.keys(f), ['code', 'severity', 'file', 'line', 'column', 'message', 'related']);
    assert.equal(f.file, 'anno.json');
  }
  assert.match(r.stderr, /near-duplicate-query not run: no sentence model/);
  assert.match(r.stderr, /refusable-near-answerable not run/);
  const bad = rarft(['audit', 'missing.json'], dir);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /missing\.json: no such file/);
  writeFileSync(join(dir, 'broken.json'), '[\n  {"video": "a",\n');
  const broken = rarft(['audit', 'broken.json'], dir);
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /broken\.json:2:\d+: not valid JSON/);
  assert.equal(rarft(['audit'], dir).status, 2);
});

test('rarft audit --model runs the embedding checks with a real ONNX model', async () => {
  const model = join(dir, 'model');
  await writeModelFolder(model, {
    shape: {
      vocabSize: TINY_VOCAB.length + 5,
      hidden: 32,
      layers: 1,
      heads: 4,
      intermediate: 64,
      maxPositions: 512,
      seed: 3,
    },
    vocab: TINY_VOCAB,
  });
  const small = join(dir, 'small.json');
  writeFileSync(small, text(cut('hi_vtg_charades.json', 4)));
  const cache = join(dir, 'cache');
  const all = rarft(
    ['audit', small, '--model', model, '--duplicate-threshold=-1', '--refusable-threshold=-1', '--json'],
    dir,
    {
      RARFT_CACHE_DIR: cache,
    },
  );
  assert.equal(all.status, 0, all.stderr);
  assert.doesNotMatch(all.stderr, /not run/);
  const findings = JSON.parse(all.stdout).findings;
  const queries = cut('hi_vtg_charades.json', 4).flatMap((e: any) => e.GRPO.map((g: any) => g.q));
  const distinct = new Set(queries).size;
  // Threshold -1: every pair of distinct texts is a near-duplicate, every refusable query is "too close".
  assert.equal(findings.filter((f: any) => f.code === 'near-duplicate-query').length, (distinct * (distinct - 1)) / 2);
  const refusable = cut('hi_vtg_charades.json', 4).flatMap((e: any) => e.GRPO.filter((g: any) => g.r === false));
  assert.equal(findings.filter((f: any) => f.code === 'refusable-near-answerable').length, refusable.length);
  const none = rarft(
    ['audit', small, '--model', model, '--duplicate-threshold', '1.0', '--refusable-threshold', '1', '--json'],
    dir,
    {
      RARFT_CACHE_DIR: cache,
    },
  );
  // The tiny vocabulary reads many words as [UNK], so distinct texts can embed identically (cosine 1).
  const at1 = JSON.parse(none.stdout).findings.filter((f: any) => f.code === 'near-duplicate-query');
  assert.ok(at1.length < (distinct * (distinct - 1)) / 2);
  for (const f of at1) assert.match(f.message, /cosine 1\.000 ≥ 1\)/);
  assert.equal(rarft(['audit', small, '--model', join(dir, 'nope')], dir).status, 1);
});

test('rarft export: refuses leaking splits without writing, groups or reports them on request, writes a manifest', () => {
  const dupes = structuredClone(entries);
  dupes[5].GRPO[0].q = dupes[30].GRPO[0].q.toUpperCase();
  writeFileSync(join(dir, 'dupes.json'), text(dupes));
  const out = join(dir, 'out');
  const args = ['export', 'dupes.json', '--out-dir', out, '--split', 'a=0.5,b=0.5'];
  let refused = false;
  for (let seed = 0; seed < 20 && !refused; seed++) {
    const r = rarft([...args, '--seed', String(seed)], dir);
    if (r.status === 1) {
      refused = true;
      assert.match(r.stderr, /refused: \d+ near-duplicate query pairs would land in different splits/);
      assert.ok(!existsSync(join(out, 'manifest.json')), 'nothing written');
      const allowed = rarft([...args, '--seed', String(seed), '--allow-leaks', '--json'], dir);
      assert.equal(allowed.status, 0, allowed.stderr);
      assert.ok(JSON.parse(allowed.stdout).manifest.nearDuplicatesAcrossSplits.length > 0);
    } else assert.equal(r.status, 0, r.stderr);
  }
  assert.ok(refused, 'some seed splits the two duplicates');
  const g = rarft([...args, '--group-duplicates', '--where', 'r=true'], dir);
  assert.equal(g.status, 0, g.stderr);
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.deepEqual(m.nearDuplicatesAcrossSplits, []);
  assert.deepEqual(m.filter, { where: ['r=true'], tags: [], excludeTags: [] });
  assert.equal(
    m.kept + m.dropped.queries,
    entries.reduce((a: number, e: any) => a + e.GRPO.length, 0),
  );
  assert.equal(m.inputs[0].sha256.length, 64);
  const a = JSON.parse(readFileSync(join(out, 'a.json'), 'utf8'));
  assert.ok(a.every((e: any) => e.GRPO.every((q: any) => q.r === true)));
  assert.equal(rarft(['export', 'dupes.json', '--out-dir', out, '--split', 'x'], dir).status, 2);
  assert.equal(rarft(['export', 'dupes.json', '--out-dir', out, '--where', 'nope=1'], dir).status, 2);
  assert.equal(rarft(['export', 'dupes.json', '--out-dir', dir, '--split', 'dupes=1'], dir).status, 2);
});
