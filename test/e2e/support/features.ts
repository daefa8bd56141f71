/**
 * Extension features the end-to-end tests exercise, with how to tell from the package manifest
 * (or the built bundles) whether they exist yet. While the extension is being built, a test of a
 * feature that is not there is skipped with a reason naming it; once every feature has landed
 * this list should be empty of misses (the report names what is still missing).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../../../scripts/codeServer.mjs';

interface Manifest {
  contributes?: {
    viewsContainers?: { activitybar?: { id: string; title: string }[] };
    views?: Record<string, { id: string; name: string }[]>;
    configuration?: { properties?: Record<string, unknown> } | { properties?: Record<string, unknown> }[];
  };
}

const manifest = (): Manifest => JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const views = (m: Manifest) => Object.values(m.contributes?.views ?? {}).flat();
const settings = (m: Manifest) =>
  [m.contributes?.configuration ?? []].flat().flatMap((c) => Object.keys(c?.properties ?? {}));

const checks = {
  activityBar: (m: Manifest) => !!m.contributes?.viewsContainers?.activitybar?.some((c) => c.title.startsWith('RA-RFT')),
  datasetsView: (m: Manifest) => views(m).some((v) => v.name === 'Datasets'),
  runsView: (m: Manifest) => views(m).some((v) => v.name === 'Runs'),
  inspector: () => existsSync(join(root, 'webview/inspector/main.ts')),
  videoRoots: (m: Manifest) => settings(m).includes('rarft.videoRoots'),
  diagnostics: () => /createDiagnosticCollection/.test(readBundle()),
  statusBar: () => /createStatusBarItem/.test(readBundle()),
} satisfies Record<string, (m: Manifest) => boolean>;

export type Feature = keyof typeof checks;

function readBundle(): string {
  const f = join(root, 'dist/extension.js');
  return existsSync(f) ? readFileSync(f, 'utf8') : '';
}

/** A skip reason when any of `features` is not in the extension yet, else false. */
export function notYet(...features: Feature[]): string | false {
  const m = manifest();
  const missing = features.filter((f) => !checks[f](m));
  return missing.length ? `extension feature not there yet: ${missing.join(', ')} (issue 5, extension half)` : false;
}
