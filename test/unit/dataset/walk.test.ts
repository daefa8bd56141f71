import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexPaths, mayBeOurs } from '../../../src/core/dataset/indexFiles';
import { findJsonFiles, isSkippedPath, PathError } from '../../../src/core/dataset/walk';
import { cut, tempDir, text } from '../../support/fixtures';

function folderWithData(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'anno.json'), text(cut('hi_vtg_charades.json', 2)));
  return dir;
}

test('a symbolic link loop (ln -s . again) is searched once, each real file indexed once, with a note', async () => {
  const dir = folderWithData();
  symlinkSync('.', join(dir, 'again'));
  symlinkSync('..', join(dir, 'data', 'up'));
  const r = await indexPaths([dir], { relativeTo: dir });
  assert.deepEqual(
    r.files.map((f) => f.path),
    ['data/anno.json'],
  );
  assert.equal(r.totals.videos, 2);
  const notes = r.skipped.map((s) => `${s.path}: ${s.reason}`);
  assert.ok(
    notes.some((n) => /^again: the same folder as \. \(a link back into itself: a loop\)/.test(n)),
    notes.join('\n'),
  );
  assert.ok(
    notes.some((n) => n.startsWith('data/up: the same folder as')),
    notes.join('\n'),
  );
});

test('a second link to the same file is indexed once; a broken link and a link loop are notes', async () => {
  const dir = folderWithData();
  symlinkSync(join(dir, 'data', 'anno.json'), join(dir, 'link.json'));
  symlinkSync('nowhere.json', join(dir, 'broken.json'));
  symlinkSync('b.json', join(dir, 'a.json'));
  symlinkSync('a.json', join(dir, 'b.json'));
  const w = await findJsonFiles([dir]);
  assert.equal(w.files.length, 1);
  const reasons = Object.fromEntries(w.skipped.map((s) => [s.path.slice(dir.length + 1), s.reason]));
  assert.match(reasons['broken.json'], /broken link/);
  assert.match(reasons['a.json'], /symbolic link that loops/);
  assert.ok(/the same file as/.test(reasons['link.json'] ?? reasons['data/anno.json']), JSON.stringify(reasons));
  // Named on its own, a looping link is an error in our words, naming it.
  await assert.rejects(findJsonFiles([join(dir, 'a.json')]), (e: unknown) => {
    assert.ok(e instanceof PathError);
    assert.match((e as Error).message, /a\.json: a symbolic link that loops/);
    return true;
  });
});

test('a FIFO named *.json is skipped with a note, never opened (no hang), in a folder or named itself', async () => {
  const dir = folderWithData();
  execFileSync('mkfifo', [join(dir, 'data', 'pipe.json')]);
  const r = await indexPaths([dir, join(dir, 'data', 'pipe.json')], { relativeTo: dir });
  assert.deepEqual(
    r.files.map((f) => f.path),
    ['data/anno.json'],
  );
  assert.deepEqual(
    r.skipped.map((s) => [s.path, s.reason]),
    [
      ['data/pipe.json', 'a named pipe (FIFO), not a regular file: skipped'],
      ['data/pipe.json', 'a named pipe (FIFO), not a regular file: skipped'],
    ],
  );
});

test('the same folders are skipped everywhere; other JSON in folders is left alone, broken arrays are reported', async () => {
  const dir = folderWithData();
  for (const skip of ['node_modules', '.git', '.vscode-test', '.rarft-cache']) {
    mkdirSync(join(dir, skip));
    writeFileSync(join(dir, skip, 'anno.json'), text(cut('human_anno.json', 1)));
  }
  mkdirSync(join(dir, '.vscode'));
  writeFileSync(join(dir, '.vscode', 'settings.json'), '{ // comments are fine here\n "a": 1 }');
  writeFileSync(join(dir, 'tsconfig.json'), '{"compilerOptions": {},}');
  writeFileSync(join(dir, 'cut.json'), '[{"video": "a.mp4", "GRPO": [');
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ relevance: {}, 'RA-IoU': {} }));
  const r = await indexPaths([dir], { relativeTo: dir });
  assert.deepEqual(
    r.files.map((f) => [f.path, f.kind]),
    [
      ['cut.json', 'invalid'],
      ['data/anno.json', 'annotations'],
      ['metrics.json', 'metrics'],
    ],
  );
  assert.ok(isSkippedPath(join(dir, 'node_modules', 'x.json'), dir));
  assert.ok(!isSkippedPath(join(dir, 'data', 'x.json'), dir));
  assert.ok(!mayBeOurs('tsconfig.json', '{"a": 1}'));
  assert.ok(mayBeOurs('metrics_run1.json', '{'));
});

test("the reader decides the text: the extension's unsaved editor text is indexed as the CLI indexes a file", async () => {
  const dir = folderWithData();
  const onDisk = await indexPaths([dir], { relativeTo: dir });
  const entries = cut('hi_vtg_charades.json', 2);
  entries[0].GRPO[0].c = ['Not/ALabel'];
  const unsaved = text(entries);
  const fromEditor = await indexPaths([dir], { relativeTo: dir, read: async () => unsaved });
  const count = (r: typeof onDisk, code: string) => r.problems.filter((p) => p.code === code).length;
  assert.equal(count(onDisk, 'unknown-category'), 0);
  assert.equal(count(fromEditor, 'unknown-category'), 1);
  assert.equal(fromEditor.problems.length, onDisk.problems.length + 1);
  assert.ok(fromEditor.problems.some((p) => p.code === 'unknown-category' && p.line > 1));
});
