import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSampleRef, parseViewMessage } from '../../../src/protocol/messages';

test('valid webview messages pass and keep only known fields', () => {
  assert.deepEqual(parseViewMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
  assert.deepEqual(
    parseViewMessage({
      type: 'sample/select',
      id: 3,
      ref: { kind: 'query', file: '/w/a.json', entry: 2, query: 1, evil: '<img>' },
    }),
    {
      type: 'sample/select',
      id: 3,
      ref: { kind: 'query', file: '/w/a.json', entry: 2, query: 1 },
    },
  );
  assert.deepEqual(parseViewMessage({ type: 'video/failed', code: 4, message: 'MEDIA_ERR_SRC_NOT_SUPPORTED' }), {
    type: 'video/failed',
    code: 4,
    message: 'MEDIA_ERR_SRC_NOT_SUPPORTED',
  });
});

test('malformed or unknown webview messages are rejected', () => {
  for (const bad of [
    null,
    'ready',
    [],
    { type: 'nope' },
    { type: 'sample/select', id: 1 },
    { type: 'sample/select', id: -1, ref: { kind: 'item', file: 'a', item: 0 } },
    { type: 'sample/select', id: 1, ref: { kind: 'item', file: 'a', item: 1.5 } },
    { type: 'sample/select', id: 1, ref: { kind: 'query', file: '', entry: 0, query: 0 } },
    { type: 'video/mapRoot' },
    { type: 'video/failed', code: 'x', message: '' },
    { type: 'render/timing', ms: Number.NaN },
  ]) {
    assert.equal(parseViewMessage(bad), null, JSON.stringify(bad));
  }
  assert.equal(parseSampleRef({ kind: 'item', file: 'x'.repeat(5000), item: 0 }), null);
});
