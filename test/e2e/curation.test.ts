/**
 * End to end, curation: flag a sample from the Datasets view and filter the view by that flag
 * after a window reload (the flag lives in .rarft/flags.json); fill missing durations of an
 * annotation file from the fixture videos (ffprobe), save, and undo back to the original bytes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingPrerequisite, startSession, waitFor, waitForLog, type Session } from './support/session';
import { STEP_MS } from './pages/workbench';

const skip = missingPrerequisite();
const ROOT = join(__dirname, '..', '..');
const FILE = 'data/hi_vtg_charades.json';
const QUERY = 'person runs to the window to look out.';

describe('curation', { skip, timeout: 15 * 60_000 }, () => {
  let s: Session;
  before(async () => {
    s = await startSession('curation');
  });
  after(async () => {
    await s?.close();
  });

  async function datasets() {
    await s.workbench.openActivity('RA-RFT');
    const view = s.workbench.view('Datasets');
    await s.workbench.exactRow(view, FILE).waitFor({ timeout: 60_000 });
    return view;
  }

  async function pick(label: string): Promise<void> {
    const input = s.workbench.quickInput;
    await input.waitFor({ timeout: STEP_MS });
    await input.fill(label);
    const row = s.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: s.page.locator('.label-name', { hasText: label }) })
      .first();
    await row.waitFor({ timeout: STEP_MS });
    await row.click();
  }

  async function typeAndAccept(text: string, placeholderWas: string): Promise<void> {
    const input = s.workbench.quickInput;
    await waitFor(
      `the ${placeholderWas} input`,
      async () => (await input.isVisible()) && (await input.inputValue()) === '',
      STEP_MS,
    );
    await input.fill(text);
    await s.workbench.pressIn(input, 'Enter', `the ${placeholderWas} input`);
  }

  test('a flagged sample is found by the flag filter after a reload', async () => {
    let view = await datasets();
    await s.workbench.clickTreePath(view, [FILE, 'E6DLK.mp4', QUERY]);
    await s.workbench.runCommand('RA-RFT: Flag Sample…');
    await pick('needs-review');
    await typeAndAccept('span looks late', 'note');
    const flagsFile = join(s.workspace, '.rarft', 'flags.json');
    const flags = await waitFor('flags.json written', () =>
      existsSync(flagsFile) ? JSON.parse(readFileSync(flagsFile, 'utf8')).flags : null,
    );
    assert.deepEqual(
      flags.map((f: any) => [f.file, f.query, f.tag, f.note]),
      [[FILE, QUERY, 'needs-review', 'span looks late']],
    );
    await s.workbench.runCommand('Developer: Reload Window');
    view = await datasets();
    await s.workbench.runCommand('RA-RFT: Filter by Flag…');
    await pick('needs-review');
    // Filtered: the file shows one of its queries, only E6DLK's video, and the row says why.
    await waitFor(
      'the filtered file row',
      async () => /1 of \d+ queries/.test((await s.workbench.exactRow(view, FILE).textContent()) ?? ''),
      STEP_MS,
    );
    await s.workbench.clickTreePath(view, [FILE, 'E6DLK.mp4', QUERY]);
    const row = s.workbench.exactRow(view, QUERY);
    assert.match((await row.textContent()) ?? '', /flagged needs-review/);
    assert.equal(await s.workbench.exactRow(view, 'IV1S7.mp4').count(), 0, 'unflagged videos are filtered out');
    await s.screenshot('filtered-by-flag');
    await s.workbench.runCommand('RA-RFT: Clear Filters');
  });

  test('durations are filled from the fixture videos in one undoable edit', async () => {
    const videos = join(s.workspace, 'videos');
    const anno = JSON.parse(readFileSync(join(s.workspace, FILE), 'utf8')).slice(0, 3);
    const entries = anno
      .filter((e: any) => ['E6DLK.mp4', 'VXZBA.mp4'].includes(e.video.split('/').pop()))
      .map((e: any) => ({ ...e, duration: null }));
    assert.equal(entries.length, 2);
    const path = join(s.workspace, 'data', 'hi_vtg_nodur.json');
    const original = JSON.stringify(entries, null, 2);
    writeFileSync(path, original);
    const probe = (name: string) =>
      Number(
        execFileSync(
          'ffprobe',
          ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', join(videos, name)],
          { encoding: 'utf8' },
        ),
      );
    const want = entries.map((e: any) => Math.round(probe(e.video.split('/').pop()) * 100) / 100);
    // Open the file in an editor, then fill.
    await s.workbench.openPalette();
    const input = s.workbench.quickInput;
    await input.fill('hi_vtg_nodur.json');
    const hit = s.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'hi_vtg_nodur.json' }).first();
    await hit.waitFor({ timeout: STEP_MS });
    await hit.click();
    await s.workbench.editorTab('hi_vtg_nodur.json').waitFor({ timeout: STEP_MS });
    await s.workbench.runCommand('RA-RFT: Fill Missing Durations from the Videos');
    await waitForLog(s.userDataDir, /filled 2 missing durations/, 'the fill to finish');
    // The command ran from the palette, which gives the focus back where it likes: click into the
    // editor before the keys meant for it.
    const editor = s.page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').first().click();
    await s.workbench.pressIn(editor.locator('textarea').first(), 'Control+S', 'the editor');
    const saved = await waitFor(
      'the durations on disk',
      () => {
        const v = JSON.parse(readFileSync(path, 'utf8'));
        return v.every((e: any) => typeof e.duration === 'number') ? v : null;
      },
      STEP_MS,
    );
    assert.deepEqual(
      saved.map((e: any) => e.duration),
      want,
    );
    // Only the duration values changed: everything else is byte for byte the same.
    assert.equal(readFileSync(path, 'utf8').replace(/"duration": [0-9.]+/g, '"duration": null'), original);
    await s.workbench.pressIn(editor.locator('textarea').first(), 'Control+Z', 'the editor');
    await s.workbench.pressIn(editor.locator('textarea').first(), 'Control+S', 'the editor');
    await waitFor('the original bytes back on disk', () => readFileSync(path, 'utf8') === original, STEP_MS);
    await s.screenshot('durations-undone');
  });

  test('an edited GT span end is on disk after a save, and undo brings the old bytes back', async () => {
    const path = join(s.workspace, FILE);
    const original = readFileSync(path, 'utf8');
    const view = await datasets();
    await s.workbench.clickTreePath(view, [FILE, 'E6DLK.mp4', QUERY]);
    await s.workbench.runCommand('RA-RFT: Edit GT Span…');
    const input = s.workbench.quickInput;
    await waitFor('the span input', async () => (await input.inputValue()) === '9.3, 14.4', STEP_MS);
    await input.fill('9.3, 15.2');
    await s.workbench.pressIn(input, 'Enter', 'the span input');
    await s.workbench.editorTab('hi_vtg_charades.json').waitFor({ timeout: STEP_MS });
    const editor = s.page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').first().click(); // the keys below are for the editor
    await s.workbench.pressIn(editor.locator('textarea').first(), 'Control+S', 'the editor');
    const saved = await waitFor(
      'the new end on disk',
      () => {
        const text = readFileSync(path, 'utf8');
        return JSON.parse(text)[0].timestamp[1] === 15.2 ? text : null;
      },
      STEP_MS,
    );
    const want = JSON.parse(original);
    want[0].timestamp[1] = 15.2;
    want[0].GRPO[0].a = '<answer>9.3 to 15.2</answer>';
    assert.deepEqual(JSON.parse(saved), want, 'only the span and the answer spelling it changed');
    assert.equal(saved.length, original.length, 'two numbers of the same width replaced in place');
    await s.workbench.pressIn(editor.locator('textarea').first(), 'Control+Z', 'the editor');
    await s.workbench.pressIn(editor.locator('textarea').first(), 'Control+S', 'the editor');
    await waitFor('the original bytes back on disk', () => readFileSync(path, 'utf8') === original, STEP_MS);
    await s.screenshot('span-edit-undone');
  });

  test('the Audit view lists what rarft audit finds in the workspace, grouped by code', async () => {
    const data = join(s.workspace, 'data');
    const files = readdirSync(data)
      .filter((n) => n.endsWith('.json'))
      .map((n) => join(data, n));
    const cli = JSON.parse(
      execFileSync(process.execPath, [join(ROOT, 'bin', 'rarft.js'), 'audit', ...files, '--json'], {
        encoding: 'utf8',
      }),
    ).findings as { code: string }[];
    assert.ok(cli.length > 0);
    await s.workbench.openActivity('RA-RFT');
    await s.workbench.runCommand('RA-RFT: Audit Annotations');
    const line = await waitForLog(s.userDataDir, /audit: \d+ findings/, 'the audit to finish');
    assert.match(
      line,
      new RegExp(`audit: ${cli.length} findings; not run: near-duplicate-query, refusable-near-answerable`),
    );
    const view = s.workbench.view('Audit');
    for (const code of new Set(cli.map((f) => f.code))) {
      const n = cli.filter((f) => f.code === code).length;
      const row = s.workbench.exactRow(view, code);
      await row.waitFor({ timeout: STEP_MS });
      assert.match((await row.textContent()) ?? '', new RegExp(`${code}\\s*${n}$`));
    }
    await s.screenshot('audit-view');
  });
});
