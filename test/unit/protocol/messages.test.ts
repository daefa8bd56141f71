import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSampleRef, parseViewMessage } from '../../../src/protocol/messages';

const REF = { kind: 'query', file: '/w/a.json', video: '/data/v/E6DLK.mp4', query: 'a person sits.', nth: 0 } as const;

test('valid webview messages pass and keep only known fields', () => {
  assert.deepEqual(parseViewMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
  assert.deepEqual(parseViewMessage({ type: 'sample/select', id: 3, ref: { ...REF, evil: '<img>' } }), {
    type: 'sample/select',
    id: 3,
    ref: REF,
  });
  assert.deepEqual(parseViewMessage({ type: 'video/mapRoot', id: 0 }), { type: 'video/mapRoot', id: 0 });
  assert.deepEqual(parseViewMessage({ type: 'video/failed', code: 4, message: 'MEDIA_ERR_SRC_NOT_SUPPORTED' }), {
    type: 'video/failed',
    code: 4,
    message: 'MEDIA_ERR_SRC_NOT_SUPPORTED',
  });
  assert.deepEqual(parseSampleRef({ ...REF, kind: 'item', nth: 2 }), { ...REF, kind: 'item', nth: 2 });
});

test('malformed or unknown webview messages are rejected', () => {
  for (const bad of [
    null,
    'ready',
    [],
    { type: 'nope' },
    { type: 'toString' },
    { type: '__proto__' },
    { type: 'sample/select', id: 1 },
    { type: 'sample/select', id: -1, ref: REF },
    { type: 'sample/select', id: 1, ref: { ...REF, nth: 1.5 } },
    { type: 'sample/select', id: 1, ref: { ...REF, file: '' } },
    { type: 'sample/select', id: 1, ref: { ...REF, kind: 'video' } },
    { type: 'sample/select', id: 1, ref: { ...REF, query: 7 } },
    // The old positional shape is not a reference any more.
    { type: 'sample/select', id: 1, ref: { kind: 'query', file: '/w/a.json', entry: 2, query: 1 } },
    { type: 'video/mapRoot' },
    { type: 'video/failed', code: 'x', message: '' },
    { type: 'render/timing', ms: Number.NaN },
  ]) {
    assert.equal(parseViewMessage(bad), null, JSON.stringify(bad));
  }
  assert.equal(parseSampleRef({ ...REF, file: 'x'.repeat(5000) }), null);
});

test('the compared runs passed with a sample opened from a comparison are validated', async () => {
  const { parseComparedRuns } = await import('../../../src/protocol/messages');
  const runs = [
    { side: 'A', label: 'A: runs/a.json', span: [1, 2.5], outcome: 'hit' },
    { side: 'B', label: 'B: runs/b.json', span: null, outcome: 'false_refusal', extra: '<img>' },
  ];
  assert.deepEqual(parseComparedRuns(runs), [
    runs[0],
    { side: 'B', label: 'B: runs/b.json', span: null, outcome: 'false_refusal' },
  ]);
  assert.equal(parseComparedRuns(undefined), undefined);
  assert.equal(parseComparedRuns([{ ...runs[0], side: 'C' }]), undefined);
  assert.equal(parseComparedRuns([{ ...runs[0], span: [1, Number.NaN] }]), undefined);
  assert.equal(parseComparedRuns([{ ...runs[0], span: ['1', 2] }]), undefined);
  assert.equal(parseComparedRuns([runs[0], runs[1], runs[0]]), undefined);
});

test('edit requests carry a valid change of a known field, or are rejected', () => {
  const ok = (change: unknown) => parseViewMessage({ type: 'sample/edit', id: 4, ref: REF, change });
  assert.deepEqual(ok({ field: 'span', value: [9.3, 15.2], extra: 1 }), {
    type: 'sample/edit',
    id: 4,
    ref: REF,
    change: { field: 'span', value: [9.3, 15.2] },
  });
  assert.deepEqual(ok({ field: 'r', value: false })?.type, 'sample/edit');
  assert.deepEqual(ok({ field: 'c', value: ['Scene/SceneExistence'] }), {
    type: 'sample/edit',
    id: 4,
    ref: REF,
    change: { field: 'c', value: ['Scene/SceneExistence'] },
  });
  for (const bad of [
    { field: 'span', value: [9.3] },
    { field: 'span', value: [9.3, Number.NaN] },
    { field: 'span', value: ['9.3', 15] },
    { field: 'r', value: 'true' },
    { field: 'c', value: 'Scene/SceneExistence' },
    { field: 'c', value: [1] },
    { field: 'q', value: 7 },
    { field: 'duration', value: 30 },
    { field: 'video', value: 'x.mp4' },
    null,
  ])
    assert.equal(ok(bad), null, JSON.stringify(bad));
  assert.equal(parseViewMessage({ type: 'sample/edit', ref: REF, change: { field: 'r', value: true } }), null);
  assert.deepEqual(parseViewMessage({ type: 'sample/editField', id: 2, ref: REF, field: 'c' }), {
    type: 'sample/editField',
    id: 2,
    ref: REF,
    field: 'c',
  });
  assert.equal(parseViewMessage({ type: 'sample/editField', id: 2, ref: REF, field: 'video' }), null);
  assert.equal(parseViewMessage({ type: 'sample/editField', id: 2, ref: REF, field: 'toString' }), null);
});
