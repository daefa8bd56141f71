import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAnnoDoc, videoKey, type AnnoDoc } from '../../../src/core/curation/annoDoc';
import { planExport } from '../../../src/core/curation/exportPlan';
import { entryText, renderExport, writeExport } from '../../../src/core/curation/exportWrite';
import type { Flag } from '../../../src/core/curation/flags';
import { assignSplits, parseSplit } from '../../../src/core/curation/split';
import { seededRandom } from '../../../src/core/random';
import { parseClause } from '../../../src/core/curation/where';
import { TableEmbedder } from '../../../src/core/embed/embedder';
import { cut, samplePath, tempDir, text } from '../../support/fixtures';

const meta = { filter: { where: [], tags: [], excludeTags: [] }, split: null, seed: 0, groupDuplicates: false };

function sampleDoc(n = 200): AnnoDoc {
  return parseAnnoDoc('h.json', text(cut('hi_vtg_charades.json', n)));
}

test('a whole entry is copied byte for byte; a partial one keeps each kept query byte for byte', async () => {
  // Odd but valid formatting, unknown keys and escapes must survive untouched.
  const src =
    '[\n  {"video": "/v/A.mp4", "extra": {"k": [1,2]},\n     "GRPO": [ {"q": "a\\u00e9", "a": "<answer>1 to 2</answer>", "r": true},\n' +
    '       {"q": "b", "a": "x", "r": false, "difficulty": "hard"} ,  {"q":"c","a":"y","r":false,"difficulty":"easy"} ],\n "timestamp": [1, 2]}\n]\n';
  const doc = parseAnnoDoc('a.json', src);
  const whole = await planExport([doc]);
  assert.equal(entryText(whole.kept[0]), src.slice(src.indexOf('{"video"'), src.lastIndexOf('}') + 1));
  const part = await planExport([doc], { where: [parseClause('difficulty!=hard')] });
  const t = entryText(part.kept[0]);
  assert.equal(
    t,
    '{"video": "/v/A.mp4", "extra": {"k": [1,2]},\n     "GRPO": [ {"q": "a\\u00e9", "a": "<answer>1 to 2</answer>", "r": true},\n' +
      '       {"q":"c","a":"y","r":false,"difficulty":"easy"} ],\n "timestamp": [1, 2]}',
  );
  assert.deepEqual(
    JSON.parse(t).GRPO.map((g: { q: string }) => g.q),
    ['aé', 'c'],
  );
  assert.deepEqual(part.dropped, [{ file: 'a.json', video: '/v/A.mp4', query: 'b', reason: 'where difficulty!=hard' }]);
});

test('exporting a sample file unfiltered as one subset gives back the same entries, each byte for byte', async () => {
  const src = readFileSync(samplePath('human_anno.json'), 'utf8');
  const doc = parseAnnoDoc('human_anno.json', src);
  const plan = await planExport([doc]);
  const { files, manifest } = renderExport([doc], plan, meta);
  const out = files.get('subset.json') as string;
  assert.deepEqual(JSON.parse(out), JSON.parse(src));
  for (const k of plan.kept) assert.ok(out.includes(entryText(k)));
  assert.equal(manifest.kept, 200);
  assert.equal(manifest.dropped.queries, 0);
});

test('splits are by video, stratified by difficulty, and reproducible from the seed', async () => {
  const doc = sampleDoc(400);
  const split = parseSplit('train=0.8,val=0.1,test=0.1');
  const a = await planExport([doc], { split, seed: 5, groupDuplicates: true });
  const b = await planExport([doc], { split, seed: 5, groupDuplicates: true });
  assert.deepEqual(
    a.kept.map((k) => k.split),
    b.kept.map((k) => k.split),
  );
  const c = await planExport([doc], { split, seed: 6, groupDuplicates: true });
  assert.notDeepEqual(
    a.kept.map((k) => k.split),
    c.kept.map((k) => k.split),
  );
  const { manifest } = renderExport([doc], a, meta);
  const total = manifest.kept;
  assert.ok(Math.abs(manifest.counts.train.queries / total - 0.8) < 0.05, JSON.stringify(manifest.counts));
  assert.ok(Math.abs(manifest.counts.val.queries / total - 0.1) < 0.05);
  // Each difficulty is spread close to the shares too.
  for (const d of ['hard', 'medium']) {
    const all = Object.values(manifest.counts).reduce((s, c) => s + (c.byDifficulty[d] ?? 0), 0);
    assert.ok(Math.abs((manifest.counts.train.byDifficulty[d] ?? 0) / all - 0.8) < 0.1, d);
  }
  assert.deepEqual(a.leaks, []);
});

test('near-duplicates across splits are reported as leaks unless grouped; embeddings add their pairs', async () => {
  const entries = Array.from({ length: 40 }, (_, i) => ({
    video: `/v/V${i}.mp4`,
    timestamp: [1, 2],
    duration: 10,
    GRPO: [{ q: i % 2 ? 'Person sits.' : `unique query ${i}`, a: '<answer>1 to 2</answer>', r: true }],
  }));
  const doc = parseAnnoDoc('d.json', text(entries));
  const split = parseSplit('a=0.5,b=0.5');
  const loose = await planExport([doc], { split, seed: 1 });
  assert.ok(loose.leaks.length > 0);
  assert.ok(loose.leaks.every((l) => l.how === 'text' && l.a.split !== l.b.split));
  const grouped = await planExport([doc], { split, seed: 1, groupDuplicates: true });
  assert.deepEqual(grouped.leaks, []);
  const table: Record<string, number[]> = {};
  const oneHot = (k: number, extra = 0) => Array.from({ length: 44 }, (_, d) => (d === k ? 1 : d === 1 ? extra : 0));
  entries.forEach((e, i) => (table[e.GRPO[0].q] = oneHot(i + 2)));
  table['unique query 0'] = oneHot(0);
  table['Person sits.'] = oneHot(0, 0.01);
  const withModel = await planExport([doc], {
    split,
    seed: 1,
    groupDuplicates: true,
    embedder: new TableEmbedder(table),
  });
  // "unique query 0" and "Person sits." embed alike: their videos now go together as well.
  const splitOf = (p: typeof grouped, q: string) =>
    p.kept.find((k) => (doc.raw[k.entry] as any).GRPO[0].q === q)!.split;
  assert.notEqual(
    splitOf(grouped, 'unique query 0'),
    splitOf(grouped, 'Person sits.'),
    'text alone does not link them',
  );
  assert.equal(splitOf(withModel, 'unique query 0'), splitOf(withModel, 'Person sits.'));
});

test('tags select and exclude by flags (a whole-video flag counts), and the reasons are recorded', async () => {
  const doc = sampleDoc(10);
  const e0 = doc.entries[0];
  const e1 = doc.entries[1];
  const flags: Flag[] = [
    { file: 'h.json', video: e0.video, query: e0.queries[0].q, tag: 'needs-review', created: '' },
    { file: 'h.json', video: e1.video, query: null, tag: 'bad-video', created: '' },
  ];
  const sel = await planExport([doc], { tags: ['needs-review'], flags });
  assert.equal(sel.kept.length, 1);
  assert.deepEqual(sel.kept[0].queries, [0]);
  const ex = await planExport([doc], { excludeTags: ['bad-video'], flags });
  assert.equal(ex.dropped.filter((d) => d.reason === 'flagged bad-video').length, e1.queries.length);
});

test('property: over random seeds, filters and shares, no video is in two splits and kept + dropped = input', async () => {
  const docs = [sampleDoc(150), parseAnnoDoc('h2.json', text(cut('hi_vtg_charades.json', 80, 100)))];
  const rand = seededRandom(2024);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const inputQueries = docs.reduce(
    (a, d) => a + d.raw.reduce((b: number, e) => b + (e as { GRPO: unknown[] }).GRPO.length, 0),
    0,
  );
  const clauses = [
    'difficulty=hard',
    'difficulty!=original',
    'r=true',
    'r=refusable',
    'category~object',
    'q~door',
    'video~0',
  ];
  for (let round = 0; round < 40; round++) {
    const where =
      rand() < 0.3 ? [] : [parseClause(pick(clauses)), ...(rand() < 0.3 ? [parseClause(pick(clauses))] : [])];
    const n = 1 + Math.floor(rand() * 4);
    const split = parseSplit(Array.from({ length: n }, (_, k) => `s${k}=${(rand() + 0.01).toFixed(2)}`).join(','));
    const plan = await planExport(docs, {
      split,
      seed: Math.floor(rand() * 1e9),
      where,
      groupDuplicates: rand() < 0.5,
    });
    const splitOfVideo = new Map<string, number>();
    for (const k of plan.kept) {
      const v = videoKey((k.doc.raw[k.entry] as { video: string }).video);
      const prev = splitOfVideo.get(v);
      assert.ok(prev === undefined || prev === k.split, `round ${round}: ${v} in splits ${prev} and ${k.split}`);
      splitOfVideo.set(v, k.split);
    }
    const kept = plan.kept.reduce((a, k) => a + k.queries.length, 0);
    const dropped = plan.dropped.filter((d) => d.query !== null).length;
    assert.equal(kept + dropped, inputQueries, `round ${round}`);
    const { files, manifest } = renderExport(docs, plan, meta);
    assert.equal(manifest.kept + manifest.dropped.queries, inputQueries);
    let parsed = 0;
    for (const t of files.values())
      parsed += (JSON.parse(t) as { GRPO: unknown[] }[]).reduce((a, e) => a + e.GRPO.length, 0);
    assert.equal(parsed, kept, `round ${round}: the written files hold the kept queries`);
  }
});

test('writeExport writes each split and the manifest with input hashes', async () => {
  const dir = tempDir('rarft-export-');
  const doc = parseAnnoDoc('h.json', text(cut('hi_vtg_charades.json', 30)));
  doc.sha256 = 'abc';
  const plan = await planExport([doc], { split: parseSplit('train=1,test=1'), seed: 2, groupDuplicates: true });
  const written = await writeExport(dir, renderExport([doc], plan, meta));
  assert.deepEqual(
    written.map((w) => w.slice(dir.length + 1)),
    ['train.json', 'test.json', 'manifest.json'],
  );
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  assert.equal(m.inputs[0].sha256, 'abc');
  assert.equal(m.counts.train.queries + m.counts.test.queries, m.kept);
});

test('split shares and where clauses refuse bad input with a precise message', () => {
  assert.throws(() => parseSplit('train=0.8,val'), /expected name=share/);
  assert.throws(() => parseSplit('a=1,a=2'), /'a' named twice/);
  assert.throws(() => parseSplit('a=0'), /add up to 0/);
  assert.throws(() => parseClause('level=hard'), /unknown field 'level'/);
  assert.throws(() => parseClause('r=maybe'), /r is true\/false/);
  assert.throws(() => parseClause('difficulty'), /expected field=value/);
  assert.deepEqual(assignSplits([{ size: 1, stratum: 'x' }], parseSplit('a=1,b=0'), 1), [0]);
});
