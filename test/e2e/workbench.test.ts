/**
 * End to end, part 1: the packaged extension in code-server (real VS Code) in Debian Chromium.
 * The workbench loads the sample workspace, the RA-RFT activity-bar item and status-bar item are
 * there, a command runs from the palette, and the Problems panel lists the files' real problems.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../../scripts/codeServer.mjs';
import { missingPrerequisite, startSession, waitFor, type Session } from './support/session';
import { notYet } from './support/features';

const skip = missingPrerequisite();

/** What core (through the CLI) finds in the workspace: the numbers the UI must agree with. */
function indexWorkspace(ws: string) {
  const r = spawnSync(process.execPath, [join(root, 'bin/rarft.js'), 'index', '--json', ws], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as {
    totals: { files: number; videos: number; queries: number; answerable: number; refusable: number };
    problems: { file: string; code: string; severity: string; message: string; line: number }[];
  };
}

describe('workbench', { skip }, () => {
  let s: Session;
  before(async () => {
    s = await startSession('workbench');
    console.log(`# code-server + workbench up in ${s.startupMs} ms`);
  });
  after(async () => {
    await s?.close();
  });

  test('the workbench opens the sample workspace with the RA-RFT activity-bar item', { skip: notYet('activityBar') }, async () => {
    await s.workbench.activityItem('RA-RFT').waitFor({ timeout: 30_000 });
    const label = await s.workbench.activityItem('RA-RFT').getAttribute('aria-label');
    assert.match(label ?? '', /^RA-RFT/);
    // The explorer shows the workspace's folders.
    await s.workbench.openActivity('Explorer');
    await waitFor('the data folder in the explorer', () => s.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'data' }).count());
    await s.screenshot('loaded');
  });

  test('"RA-RFT: Show Index Summary" runs from the command palette and reports what core finds', async () => {
    const expected = indexWorkspace(s.workspace).totals;
    await s.workbench.runCommand('RA-RFT: Show Index Summary');
    const message = await waitFor(
      'the index summary notification',
      async () => (await s.workbench.notifications()).find((t) => /RA-RFT: \d+ files/.test(t)),
      60_000,
    );
    await s.screenshot('index-summary');
    assert.match(message, new RegExp(`\\b${expected.files} files, ${expected.videos} videos, ${expected.queries} queries`));
    assert.match(message, new RegExp(`${expected.answerable} answerable, ${expected.refusable} refusable`));
  });
});
