import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditDocs } from '../../../src/core/curation/audit';
import { parseAnnoDoc } from '../../../src/core/curation/annoDoc';
import { toAuditJson } from '../../../src/core/curation/findings';
import { hammingBound, nearPairs } from '../../../src/core/curation/nearPairs';
import { TableEmbedder } from '../../../src/core/embed/embedder';
import { cut, text } from '../../support/fixtures';

function entry(video: string, timestamp: number[], duration: number | null, queries: [string, boolean][]) {
  return {
    video,
    timestamp,
    duration,
    GRPO: queries.map(([q, r]) => ({
      q,
      a: r ? `<answer>${timestamp[0]} to ${timestamp[1]}</answer>` : '<answer>no</answer>',
      r,
      difficulty: r ? 'original' : 'hard',
    })),
  };
}

test('span checks: zero length, past the duration, and whole-number spans about fps times too large', async () => {
  const doc = parseAnnoDoc(
    'a.json',
    text([
      entry('/v/A.mp4', [3, 3], 10, [['a', true]]),
      entry('/v/B.mp4', [2, 10.5], 10, [['b', true]]),
      entry('/v/C.mp4', [150, 300], 30, [['c', true]]),
      entry('/v/D.mp4', [21.7, 29.4], 7.04, [['d', true]]),
      entry('/v/E.mp4', [1, 2], null, [['e', true]]),
    ]),
  );
  const { findings } = await auditDocs([doc]);
  const codes = findings.map((f) => `${f.code}:${doc.entries[f.path[0] as number].video}`).sort();
  assert.deepEqual(codes, [
    'span-frames-slip:/v/C.mp4',
    'span-past-duration:/v/B.mp4',
    'span-past-duration:/v/D.mp4',
    'zero-length-span:/v/A.mp4',
  ]);
  const slip = findings.find((f) => f.code === 'span-frames-slip');
  assert.match(slip!.message, /At 25 fps it would be \[6, 12\] s/);
  // Positions: the timestamp value, and the entry's answerable query text as related.
  const lines = doc.text.split('\n');
  assert.match(lines[slip!.line - 1].slice(slip!.column - 1), /^\[/);
  assert.match(lines[slip!.related[0].line - 1].slice(slip!.related[0].column - 1), /^"c"/);
});

test('duplicate texts after normalisation, within a video (warning) and across videos (info); video reuse across files', async () => {
  const a = parseAnnoDoc(
    'a.json',
    text([
      entry('/v/A.mp4', [1, 2], 10, [
        ['Person opens the door.', true],
        ['person  opens the DOOR', false],
      ]),
      entry('/v/B.mp4', [1, 2], 10, [['a person sits.', true]]),
    ]),
  );
  const b = parseAnnoDoc(
    'b.json',
    text([
      entry('other/B.mp4', [1, 2], 10, [['someone waves', true]]),
      entry('C.mp4', [1, 2], 10, [['A person sits', true]]),
    ]),
  );
  const { findings, notRun } = await auditDocs([a, b]);
  const dup = findings.filter((f) => f.code === 'duplicate-query-text');
  assert.deepEqual(
    dup.map((f) => [f.severity, f.file, f.related.map((r) => r.file)]),
    [
      ['warning', 'a.json', ['a.json']],
      ['info', 'a.json', ['b.json']],
    ],
  );
  const reuse = findings.filter((f) => f.code === 'video-reused');
  assert.equal(reuse.length, 1);
  assert.equal(reuse[0].severity, 'warning');
  assert.match(reuse[0].message, /B\.mp4 is referenced by 2 entries in 2 files \(as "\/v\/B\.mp4", "other\/B\.mp4"\)/);
  assert.deepEqual(
    notRun.map((n) => n.code),
    ['near-duplicate-query', 'refusable-near-answerable'],
  );
  // --json shape: exactly these keys.
  const json = toAuditJson(findings);
  assert.deepEqual(Object.keys(json.findings[0]), ['code', 'severity', 'file', 'line', 'column', 'message', 'related']);
  assert.deepEqual(Object.keys(json.findings[0].related[0]), ['file', 'line', 'column']);
});

test('embedding checks: near-duplicates above the threshold and refusable queries ranked by closeness', async () => {
  const doc = parseAnnoDoc(
    'a.json',
    text([
      entry('/v/A.mp4', [1, 2], 10, [
        ['person opens the door', true],
        ['person closes the door', false],
        ['a dog barks', false],
      ]),
      entry('/v/B.mp4', [1, 2], 10, [
        ['someone opens a door', true],
        ['person eats', false],
      ]),
    ]),
  );
  const embedder = new TableEmbedder({
    'person opens the door': [1, 0, 0],
    'person closes the door': [0.95, 0.31, 0],
    'a dog barks': [0, 0, 1],
    'someone opens a door': [0.99, 0.14, 0],
    'person eats': [0.87, 0.49, 0],
  });
  const { findings, notRun } = await auditDocs([doc], { embedder });
  assert.deepEqual(notRun, []);
  const near = findings.filter((f) => f.code === 'near-duplicate-query');
  // Pairs at cosine ≥ 0.9: opens~someone (0.99, across), opens~closes (0.95, within A), closes~someone (0.98, across), eats~someone (0.93, within B), …
  for (const f of near) assert.ok((f.score ?? 0) >= 0.9, f.message);
  assert.ok(near.some((f) => f.severity === 'warning' && /within A\.mp4/.test(f.message)));
  assert.ok(near.some((f) => f.severity === 'info' && /across videos/.test(f.message)));
  assert.ok(!near.some((f) => /a dog barks/.test(f.message)));
  const hard = findings.filter((f) => f.code === 'refusable-near-answerable');
  assert.deepEqual(
    hard.map((f) => f.message.match(/the refusable "([^"]+)"/)?.[1]),
    ['person closes the door', 'person eats'],
  );
  assert.match(hard[0].message, /review rank 1 of 2: .* cosine 0\.951/);
});

test('nearPairs finds exactly the pairs a full comparison finds on clustered random vectors', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;
  const dim = 48;
  const centres = Array.from({ length: 40 }, () => Array.from({ length: dim }, rand));
  const vectors = Array.from({ length: 600 }, (_, i) => {
    const c = centres[i % centres.length];
    const v = Float32Array.from(c, (x) => x + rand() * 0.25);
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  });
  for (const t of [0.8, 0.9, 0.95]) {
    const full: string[] = [];
    for (let i = 0; i < vectors.length; i++)
      for (let j = i + 1; j < vectors.length; j++) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += vectors[i][d] * vectors[j][d];
        if (s >= t) full.push(`${i}-${j}`);
      }
    const found = nearPairs(vectors, t).map((p) => `${p.i}-${p.j}`);
    assert.ok(full.length > 100, `threshold ${t}: the data should have many close pairs (${full.length})`);
    assert.deepEqual(found, full);
  }
  assert.ok(hammingBound(0.9) < hammingBound(0.5));
  // A model that embeds everything alike must not exhaust memory: pairs past the cap are counted.
  const same = Array.from({ length: 20 }, () => Float32Array.of(1, 0));
  const capped = nearPairs(same, 0.9, undefined, undefined, 5);
  assert.equal(capped.length, 5);
  assert.equal(capped.more, (20 * 19) / 2 - 5);
});

test('the sample data audits without a model, every finding placed on a line of its file', async () => {
  const doc = parseAnnoDoc('h.json', text(cut('hi_vtg_charades.json', 300)));
  const { findings } = await auditDocs([doc]);
  assert.ok(findings.length > 0);
  const lines = doc.text.split('\n');
  for (const f of findings) {
    assert.ok(f.line >= 1 && f.line <= lines.length);
    for (const r of f.related) assert.ok(r.line >= 1 && r.line <= lines.length);
  }
});
