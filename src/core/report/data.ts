/** What a dashboard or a report shows: one run's columns, an optional comparison and its provenance. */
import type { Comparison } from '../compare/compare';
import type { RunProvenance } from '../compare/provenance';
import type { RunColumns } from './columns';

/** One line of the provenance block. */
export interface ProvenanceRow {
  label: string;
  value: string;
}

/** The whole input of the dashboard app (in a webview, or inlined in a report). */
export interface DashboardData {
  title: string;
  columns: RunColumns;
  provenance: ProvenanceRow[];
  /** `rarft compare`'s figures when a second run is compared (its outcomes are in `columns.compare`). */
  comparison?: Comparison;
}

/** The provenance rows of a run (and of the compared run). */
export function provenanceRows(
  a: RunProvenance,
  counts: { items: number; judged: number },
  b?: RunProvenance,
): ProvenanceRow[] {
  const rows: ProvenanceRow[] = [];
  const side = (p: RunProvenance, tag: string) => {
    rows.push({ label: `${tag}run file`, value: p.path ?? 'n/a' });
    if (p.sha256) rows.push({ label: `${tag}run file sha256`, value: p.sha256 });
    rows.push({ label: `${tag}judge`, value: p.judge ?? 'n/a' });
    rows.push({ label: `${tag}judge model`, value: p.judgeModel ?? 'n/a' });
    rows.push({ label: `${tag}judge prompt version`, value: p.promptVersion ?? 'n/a' });
    const files = p.annotationFiles?.length
      ? p.annotationFiles.map((f) => (f.sha256 ? `${f.path} (sha256 ${f.sha256})` : f.path)).join('; ')
      : 'not recorded with the run';
    rows.push({ label: `${tag}annotation files`, value: files });
  };
  side(a, b ? 'A: ' : '');
  rows.push({ label: 'items', value: `${counts.items} (${counts.judged} judged)` });
  if (b) side(b, 'B: ');
  return rows;
}
