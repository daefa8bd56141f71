/** What the inspector e2e groups share: one session, its page objects, and what they print. */
import type { Locator } from 'playwright-core';
import type { Inspector } from '../pages/inspector';
import type { Session } from '../support/session';

/** The query the first tests open (E6DLK, H.264, with a run output), and the later ones come back to. */
export const E6DLK_QUERY = 'person runs to the window to look out.';

export interface InspectorContext {
  /** The session (set in `before`; read it inside a test). */
  readonly s: Session;
  readonly inspector: Inspector;
  /** Opens the RA-RFT container and returns the Datasets view. */
  openDatasets(): Promise<Locator>;
  /** Figures printed after the suite. */
  figures: string[];
  /** Browser dialogs seen (none may appear). */
  dialogs: string[];
}
