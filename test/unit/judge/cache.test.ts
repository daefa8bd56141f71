import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JudgeCache, cacheKey } from '../../../src/core/judge/cache';
import { tempDir } from '../../support/fixtures';

const base = {
  baseUrl: 'http://127.0.0.1:8000/v1',
  model: 'm',
  step: 'relevance' as const,
  promptVersion: 'v1',
  inputs: ['9.3 to 14.4'],
};

test('the key depends on server, model, step, prompt version and every input, and nothing else', () => {
  const k = cacheKey(base);
  assert.match(k, /^[0-9a-f]{64}$/);
  assert.equal(cacheKey({ ...base, baseUrl: 'http://127.0.0.1:8000/v1/' }), k, 'a trailing slash is the same server');
  for (const other of [
    { ...base, baseUrl: 'http://127.0.0.1:8001/v1' },
    { ...base, model: 'm2' },
    { ...base, step: 'categories' as const },
    { ...base, promptVersion: 'v2' },
    { ...base, inputs: ['9.3 to 14.5'] },
    { ...base, inputs: ['9.3 to 14.4', ''] },
  ]) {
    assert.notEqual(cacheKey(other), k, JSON.stringify(other));
  }
  // Inputs are not concatenated: ["ab", "c"] and ["a", "bc"] differ.
  assert.notEqual(cacheKey({ ...base, inputs: ['ab', 'c'] }), cacheKey({ ...base, inputs: ['a', 'bc'] }));
});

test('entries round-trip through small files written atomically; broken files read as absent', async () => {
  const dir = tempDir();
  const cache = new JudgeCache(dir);
  const key = cacheKey(base);
  assert.equal(await cache.get(key), undefined);
  const entry = {
    content: '{"classification":"irrelevant","span":null}',
    usage: { prompt_tokens: 10, completion_tokens: 3 },
    step: 'relevance' as const,
    model: 'm',
    promptVersion: 'v1',
    at: new Date().toISOString(),
  };
  await cache.put(key, entry);
  assert.deepEqual(await cache.get(key), entry);
  const files = readdirSync(join(dir, key.slice(0, 2)));
  assert.deepEqual(files, [`${key}.json`], 'no temporary files left behind');
  writeFileSync(join(dir, key.slice(0, 2), `${key}.json`), '{"content": "half');
  assert.equal(await cache.get(key), undefined);
});
