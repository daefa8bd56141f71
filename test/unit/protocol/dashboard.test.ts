import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDashboardMessage } from '../../../src/protocol/dashboard';

test('dashboard messages from the webview are validated before the host acts on them', () => {
  assert.deepEqual(parseDashboardMessage({ type: 'dashboard/ready' }), { type: 'dashboard/ready' });
  assert.deepEqual(parseDashboardMessage({ type: 'dashboard/select', id: 1, label: 'strong', rows: [3, 5] }), {
    type: 'dashboard/select',
    id: 1,
    label: 'strong',
    rows: [3, 5],
    compare: false,
  });
  for (const bad of [
    null,
    [],
    { type: 'nope' },
    { type: 'dashboard/select', id: 1, label: 'x', rows: [-1] },
    { type: 'dashboard/select', id: 1, label: 'x', rows: [1.5] },
    { type: 'dashboard/select', id: '1', label: 'x', rows: [] },
    { type: 'dashboard/export', id: 1, name: '../../etc/passwd', format: 'csv', content: '' },
    { type: 'dashboard/export', id: 1, name: 'levels', format: 'exe', content: '' },
    { type: 'dashboard/timing', ms: -1 },
  ])
    assert.equal(parseDashboardMessage(bad), null, JSON.stringify(bad));
  assert.equal(
    parseDashboardMessage({ type: 'dashboard/export', id: 2, name: 'levels', format: 'tex', content: 'x' })?.type,
    'dashboard/export',
  );
});
