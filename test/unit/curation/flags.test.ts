import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  flagFileName,
  flagsOf,
  flagsPath,
  parseFlags,
  readFlags,
  updateFlags,
  withFlag,
  withoutFlags,
  type Flag,
} from '../../../src/core/curation/flags';
import { tempDir } from '../../support/fixtures';

const base = { file: 'data/a.json', video: '/v/E6DLK.mp4', query: 'person opens a door.', created: 't' };

test('flags are written sorted and atomically, read back, and a missing file is no flags', async () => {
  const root = tempDir('rarft-flags-');
  assert.deepEqual(await readFlags(root), []);
  await updateFlags(root, (f) => withFlag(f, { ...base, query: 'z', tag: 'needs-review' }));
  await updateFlags(root, (f) => withFlag(f, { ...base, tag: 'bad-video', note: 'frozen frames' }));
  const flags = await readFlags(root);
  assert.deepEqual(
    flags.map((f) => [f.query, f.tag, f.note]),
    [
      ['person opens a door.', 'bad-video', 'frozen frames'],
      ['z', 'needs-review', undefined],
    ],
  );
  const text = readFileSync(flagsPath(root), 'utf8');
  assert.equal(JSON.parse(text).version, 1);
  assert.ok(text.endsWith('\n'));
});

test('setting the same tag again replaces its note; removing takes one tag or all of a sample', () => {
  let flags: Flag[] = [];
  flags = withFlag(flags, { ...base, tag: 'ambiguous', note: 'one' });
  flags = withFlag(flags, { ...base, tag: 'ambiguous', note: 'two' });
  flags = withFlag(flags, { ...base, tag: 'my own tag' });
  assert.equal(flags.length, 2);
  assert.equal(flags.find((f) => f.tag === 'ambiguous')?.note, 'two');
  const one = withoutFlags(flags, base, 'ambiguous');
  assert.equal(one.removed, 1);
  assert.deepEqual(
    one.flags.map((f) => f.tag),
    ['my own tag'],
  );
  assert.equal(withoutFlags(flags, base).removed, 2);
  assert.equal(withoutFlags(flags, { ...base, query: 'other' }).removed, 0);
});

test('a flag on a whole video applies to each of its queries in that file only', () => {
  const flags = [{ ...base, query: null, tag: 'bad-video' } as Flag, { ...base, tag: 'duplicate' }];
  assert.deepEqual(
    flagsOf(flags, base).map((f) => f.tag),
    ['bad-video', 'duplicate'],
  );
  assert.deepEqual(
    flagsOf(flags, { ...base, query: 'another query' }).map((f) => f.tag),
    ['bad-video'],
  );
  assert.deepEqual(flagsOf(flags, { ...base, file: 'data/b.json' }), []);
});

test('a malformed flags file is an error with line and column, never read as empty', async () => {
  const root = tempDir('rarft-flags-bad-');
  mkdirSync(join(root, '.rarft'));
  writeFileSync(flagsPath(root), '{"version": 1, "flags": [\n  {"file": "a"\n');
  await assert.rejects(readFlags(root), /flags\.json:2:15: not valid JSON: unexpected end of file/);
  assert.throws(() => parseFlags('f', '{"version": 2, "flags": []}'), /version 2 is not supported/);
  assert.throws(() => parseFlags('f', '{"version": 1, "flags": [{"file": 1}]}'), /flag 0 should have/);
});

test('file names are relative to the root with / separators; outside the root they stay as given', () => {
  assert.equal(flagFileName('/w', '/w/data/a.json'), 'data/a.json');
  assert.equal(flagFileName('/w', 'data/a.json'), 'data/a.json');
  assert.equal(flagFileName('/w', '/elsewhere/a.json'), '/elsewhere/a.json');
});
