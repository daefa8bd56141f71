/**
 * End to end, editing in the inspector: drag the GT span's end edge with the mouse (snapped to
 * 0.1 s), save, and only those bytes changed on disk; undo brings the old bytes back; keyboard
 * nudges on a focused edge handle; a value past the duration is refused with a message; a change
 * written on disk leaves unsaved edits alone, and a file without them is picked up from disk.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inspector, type SpanEditorState } from './pages/inspector';
import { STEP_MS } from './pages/workbench';
import { extensionLog, missingPrerequisite, startSession, waitFor, waitForLog, type Session } from './support/session';

const skip = missingPrerequisite();
const FILE = 'data/hi_vtg_charades.json';
const QUERY = 'person runs to the window to look out.';
const DURATION = 27.25; // E6DLK's duration in the file: the timeline's length

/** The file's bytes with E6DLK's GT span (and the answer that spells it) set to [start, end]. */
function withSpan(original: string, start: string, end: string): string {
  const span = '"timestamp": [\n      9.3,\n      14.4\n    ]';
  const answer = '"a": "<answer>9.3 to 14.4</answer>"';
  assert.ok(original.includes(span) && original.includes(answer), 'the fixture is laid out as expected');
  return original
    .replace(span, `"timestamp": [\n      ${start},\n      ${end}\n    ]`)
    .replace(answer, `"a": "<answer>${start} to ${end}</answer>"`);
}

describe('editing in the inspector', { skip, timeout: 15 * 60_000 }, () => {
  let s: Session;
  let inspector: Inspector;
  let path: string;
  let original: string;
  before(async () => {
    s = await startSession('editing');
    inspector = new Inspector(s.page);
    path = join(s.workspace, FILE);
    original = readFileSync(path, 'utf8');
  });
  after(async () => {
    await s?.close();
  });

  /** Waits until no edit is on its way and the span shown is `span` (the repaint from the document). */
  async function settled(span: [number, number], what: string): Promise<SpanEditorState> {
    return waitFor(
      what,
      async () => {
        const st = await inspector.spanEditor();
        return !st.pending && st.start === span[0] && st.end === span[1] ? st : null;
      },
      STEP_MS,
    );
  }

  async function editorKeys(...keys: string[]): Promise<void> {
    const editor = s.page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').first().click(); // the keys below are for the editor
    for (const k of keys) await s.workbench.pressIn(editor.locator('textarea').first(), k, 'the editor');
  }

  const onDisk = (want: string, what: string) => waitFor(what, () => readFileSync(path, 'utf8') === want, STEP_MS);

  test('dragging the GT end edge snaps to 0.1 s, saves only those bytes, and undo restores them', async () => {
    await s.workbench.openActivity('RA-RFT');
    const view = s.workbench.view('Datasets');
    await s.workbench.exactRow(view, FILE).waitFor({ timeout: 60_000 });
    await s.workbench.clickTreePath(view, [FILE, 'E6DLK.mp4', QUERY]);
    await inspector.tab().waitFor({ timeout: STEP_MS });
    await inspector.waitForQuery(QUERY);
    const before = await settled([9.3, 14.4], 'the GT span shown');
    assert.equal(before.endInput, '14.4');

    await inspector.waitPlayable(); // the video's box is laid out: the timeline stays where it is
    await inspector.dragSpanEdge('end', 16.23, DURATION);
    const dragged = await waitFor(
      'the drag to be committed and repainted from the document',
      async () => {
        const st = await inspector.spanEditor();
        return !st.pending && st.end !== 14.4 && st.renders > before.renders ? st : null;
      },
      STEP_MS,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(await inspector.spanEditor())}`);
    });
    const end = dragged.end!;
    assert.equal(dragged.start, 9.3, 'the start stays');
    assert.equal(Math.round(end * 10) / 10, end, `the end ${end} is snapped to 0.1 s`);
    assert.ok(Math.abs(end - 16.23) < 0.35, `the end ${end} is where the mouse let go (16.23 s)`);
    assert.equal(dragged.endInput, String(end), 'the end field shows it');
    await s.workbench.editorTab('hi_vtg_charades.json').waitFor({ timeout: STEP_MS });
    assert.ok(readFileSync(path, 'utf8') === original, 'nothing is written before the save');

    await editorKeys('Control+S');
    const want = withSpan(original, '9.3', String(end));
    await onDisk(want, `the new end ${end} on disk, every other byte as it was`);
    await editorKeys('Control+Z', 'Control+S');
    await onDisk(original, 'the original bytes back on disk');
    await settled([9.3, 14.4], 'the inspector repainted from the undone document');
    await s.screenshot('editing-drag-undone');
  });

  test('keyboard nudges on a focused edge handle move it by 0.1 s (Shift: 1 s), one undo step each', async () => {
    await inspector.focusHandle('end');
    await s.page.keyboard.press('ArrowRight');
    await settled([9.3, 14.5], 'the end nudged to 14.5 s');
    await inspector.focusHandle('start');
    await s.page.keyboard.press('Shift+ArrowLeft');
    await settled([8.3, 14.5], 'the start nudged to 8.3 s');
    await editorKeys('Control+S');
    await onDisk(withSpan(original, '8.3', '14.5'), 'both nudges on disk');
    await editorKeys('Control+Z');
    await settled([9.3, 14.5], 'one undo takes back one nudge');
    await editorKeys('Control+Z', 'Control+S');
    await onDisk(original, 'the original bytes back on disk');
  });

  test('an end typed past the duration is refused with a precise message and never applied', async () => {
    await settled([9.3, 14.4], 'the span shown');
    const frame = await inspector.frame();
    const input = frame.locator('[data-testid="gt-end-input"]');
    await input.fill('30');
    await input.press('Tab');
    const st = await waitFor(
      'the refusal message',
      async () => {
        const x = await inspector.spanEditor();
        return x.error ? x : null;
      },
      STEP_MS,
    );
    assert.match(st.error, /end must not be past the video's duration, 27\.25 s \(got 30 s\)/);
    assert.deepEqual([st.start, st.end, st.pending], [9.3, 14.4, false], 'the span is not changed');
    assert.ok(readFileSync(path, 'utf8') === original, 'the file on disk is unchanged');
    assert.equal(
      await s.page.locator('.tabs-container .tab.dirty', { hasText: 'hi_vtg_charades.json' }).count(),
      0,
      'the document is not dirty',
    );
  });

  const reindexes = () => extensionLog(s.userDataDir).filter((l) => /re-indexed \d+ changed file/.test(l)).length;
  const dirtyTabs = () => s.page.locator('.tabs-container .tab.dirty', { hasText: 'hi_vtg_charades.json' }).count();

  test('a change written on disk under unsaved edits does not clobber them; revert takes the disk', async () => {
    await settled([9.3, 14.4], 'the span shown');
    await inspector.focusHandle('end');
    await s.page.keyboard.press('ArrowRight');
    await settled([9.3, 14.5], 'the unsaved nudge shown');
    await waitFor('the document dirty', async () => (await dirtyTabs()) === 1, STEP_MS);
    // Another program (git checkout, another editor) writes the file: E6DLK's end becomes 20.
    const n = reindexes();
    const outside = original.replace(
      '"timestamp": [\n      9.3,\n      14.4\n    ]',
      '"timestamp": [\n      9.3,\n      20\n    ]',
    );
    assert.notEqual(outside, original);
    writeFileSync(path, outside);
    await waitForLog(s.userDataDir, /re-indexed \d+ changed file/, 'the change on disk seen', n + 1);
    const st = await inspector.spanEditor();
    assert.deepEqual([st.start, st.end], [9.3, 14.5], 'the inspector still shows the unsaved edit');
    assert.equal(await dirtyTabs(), 1, 'the document keeps its unsaved edit');
    await editorKeys(); // the editor is the active one for the revert
    await s.workbench.runCommand('File: Revert File');
    await settled([9.3, 20], 'the reverted document (the disk’s text) shown');
    await waitFor('the document clean', async () => (await dirtyTabs()) === 0, STEP_MS);
  });

  test('a change on disk to a file without unsaved edits is picked up by the index and the inspector', async () => {
    writeFileSync(path, original);
    await settled([9.3, 14.4], 'the span written on disk shown');
    assert.equal(await dirtyTabs(), 0);
    assert.ok(readFileSync(path, 'utf8') === original);
  });

  test('the difficulty is set from the inspector through a quick pick, as one undoable edit', async () => {
    const before = (await inspector.snapshot()).renders;
    await inspector.click('edit-difficulty');
    const input = s.workbench.quickInput;
    await input.waitFor({ timeout: STEP_MS });
    await input.fill('easy');
    const row = s.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: s.page.locator('.label-name', { hasText: /^easy$/ }) })
      .first();
    await row.waitFor({ timeout: STEP_MS });
    await row.click();
    const frame = await inspector.frame();
    await waitFor(
      'the inspector repainted with the new difficulty',
      async () =>
        (await inspector.snapshot()).renders > before &&
        (await frame.evaluate(() =>
          [...document.querySelectorAll('.badges .badge')].some((b) => b.textContent === 'easy'),
        )),
      STEP_MS,
    );
    await editorKeys('Control+S');
    const want = original.replace(
      '"q_origin": "person runs to the window to look out.",\n        "difficulty": "original"',
      '"q_origin": "person runs to the window to look out.",\n        "difficulty": "easy"',
    );
    assert.notEqual(want, original);
    await onDisk(want, "only that query's difficulty changed on disk");
    await editorKeys('Control+Z', 'Control+S');
    await onDisk(original, 'the original bytes back on disk');
  });

  test('the query text is edited from the inspector, which follows it, and back again after an undo', async () => {
    const renamed = 'person runs to the window and looks out.';
    await inspector.click('edit-q');
    const input = s.workbench.quickInput;
    await waitFor('the query text input', async () => (await input.inputValue()) === QUERY, STEP_MS);
    await input.fill(renamed);
    await s.workbench.pressIn(input, 'Enter', 'the query text input');
    await inspector.waitForQuery(renamed);
    await waitFor('the document dirty', async () => (await dirtyTabs()) === 1, STEP_MS);
    await editorKeys('Control+Z');
    await inspector.waitForQuery(QUERY);
    await waitFor('the document clean again', async () => (await dirtyTabs()) === 0, STEP_MS);
    assert.ok(readFileSync(path, 'utf8') === original, 'nothing was saved');
  });

  test('categories are picked from the taxonomy for a refusable query, as one undoable edit', async () => {
    const refusable = 'person walks past the glass panel.';
    await inspector.switchTo(refusable);
    await inspector.click('edit-c');
    const input = s.workbench.quickInput;
    await input.waitFor({ timeout: STEP_MS });
    await input.fill('ObjectMoving');
    const row = s.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: s.page.locator('.label-name', { hasText: /^Object\/ObjectMoving$/ }) })
      .first();
    await row.waitFor({ timeout: STEP_MS });
    await row.click(); // a click on a row of a multi-select toggles its tick
    await waitFor(
      'the category unticked',
      async () => {
        const html = await row.evaluate((el) => el.outerHTML);
        return /aria-checked="false"|checked="false"/.test(html) && !/aria-checked="true"/.test(html);
      },
      STEP_MS,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}: ${(await row.evaluate((el) => el.outerHTML)).slice(0, 1500)}`);
    });
    await s.workbench.pressIn(input, 'Enter', 'the category picker');
    await editorKeys('Control+S');
    const tail = `\n        ],\n        "q_origin": "${refusable}"`;
    const want = original.replace(
      `"Object/ObjectExistence",\n          "Object/ObjectMoving"${tail}`,
      `"Object/ObjectExistence"${tail}`,
    );
    assert.notEqual(want, original);
    await onDisk(want, 'only Object/ObjectMoving removed from that query, the list laid out as before');
    await editorKeys('Control+Z', 'Control+S');
    await onDisk(original, 'the original bytes back on disk');
  });
});
