import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseViewMessage, type ViewMessage } from '../../../src/protocol/messages';
import { Requests } from '../../../webview/inspector/requests';

const REF = { kind: 'query', file: '/w/a.json', video: '/data/v/A.mp4', query: 'q.', nth: 0 } as const;

test('each request gets its own id, and replies settle the request they answer, in any order', async () => {
  const sent: ViewMessage[] = [];
  const requests = new Requests((m) => sent.push(m));
  const first = requests.send({ type: 'sample/select', ref: REF });
  const second = requests.send({ type: 'video/mapRoot' });
  assert.equal(sent.length, 2);
  // What the page sends is what the host accepts.
  for (const m of sent) assert.deepEqual(parseViewMessage(m), m);
  const [a, b] = sent.map((m) => (m as { id: number }).id);
  assert.notEqual(a, b);
  // The host answers the second first.
  assert.equal(requests.settle({ type: 'reply', replyTo: b, ok: false, error: 'no folder was mapped' }), true);
  assert.equal(requests.settle({ type: 'reply', replyTo: a, ok: true }), true);
  assert.deepEqual(await first, { type: 'reply', replyTo: a, ok: true });
  assert.deepEqual(await second, { type: 'reply', replyTo: b, ok: false, error: 'no folder was mapped' });
  // A second reply to the same id, or a reply to nothing sent, settles nothing.
  assert.equal(requests.settle({ type: 'reply', replyTo: a, ok: false }), false);
  assert.equal(requests.settle({ type: 'reply', replyTo: 999, ok: true }), false);
});
