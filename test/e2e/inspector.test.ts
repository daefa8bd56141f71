/**
 * End to end, part 2: the sample inspector in code-server + Debian Chromium. Click a query in the
 * Datasets tree; the inspector shows it, its video (H.264 plays; HEVC is transcoded first),
 * seeking to the GT start moves the playhead, both spans are drawn where they belong, switching
 * samples repaints quickly, and dataset text with markup shows as text.
 * Prints activation and repaint figures beside their targets (not timed assertions).
 */
import { after, before, describe } from 'node:test';
import type { InspectorContext } from './inspector/context';
import { sampleTests } from './inspector/sample';
import { selectionTests } from './inspector/selection';
import { videosTests } from './inspector/videos';
import { workbenchTests } from './inspector/workbench';
import { Inspector } from './pages/inspector';
import { missingPrerequisite, startSession, type Session } from './support/session';

const skip = missingPrerequisite();

// The timeout ends a hung run; the suite takes one to two minutes here (more on a loaded machine).
describe('sample inspector', { skip, timeout: 15 * 60_000 }, () => {
  let s: Session;
  let inspector: Inspector;
  const figures: string[] = [];
  const dialogs: string[] = [];

  before(async () => {
    s = await startSession('inspector');
    inspector = new Inspector(s.page);
    s.page.on('dialog', (d) => {
      if (d.type() === 'beforeunload') return void d.accept();
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  after(async () => {
    for (const f of figures) console.log(`# ${f}`);
    await s?.close();
  });

  const openDatasets = async () => {
    await s.workbench.openActivity('RA-RFT');
    const view = s.workbench.view('Datasets');
    await view.waitFor({ timeout: 30_000 });
    return view;
  };

  const ctx: InspectorContext = {
    get s() {
      return s;
    },
    get inspector() {
      return inspector;
    },
    openDatasets,
    figures,
    dialogs,
  };
  sampleTests(ctx);
  selectionTests(ctx);
  videosTests(ctx);
  workbenchTests(ctx);
});
