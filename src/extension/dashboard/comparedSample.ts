/** The two runs of a comparison, paired, so a sample opened from a flip cell shows both runs' predictions. */
import * as vscode from 'vscode';
import { outcomeOf } from '../../core/compare/outcomes';
import { pairItems } from '../../core/compare/pair';
import type { ComparedRun } from '../../core/inspect/sampleTypes';
import type { JudgedRun } from '../../core/report/build';

/** Runs A and B with A's row → B's row (the same join as `compareRuns`: by (video, query), k-th with k-th). */
export class ComparedRuns {
  private readonly bOf: Map<number, number>;

  constructor(
    private readonly a: JudgedRun,
    private readonly b: JudgedRun,
  ) {
    this.bOf = new Map(pairItems(a.items, b.items).pairs);
  }

  /** Both runs' predicted spans and outcomes for A's row `row` (B's null when nothing in B pairs with it). */
  runsAt(row: number): ComparedRun[] {
    const side = (tag: 'A' | 'B', run: JudgedRun, i: number | undefined): ComparedRun => {
      const j = i === undefined ? undefined : run.judgments[i];
      return {
        side: tag,
        label: `${tag}: ${vscode.workspace.asRelativePath(run.provenance.path ?? tag)}`,
        span: j?.predSpan ?? null,
        outcome: j ? outcomeOf(j) : null,
      };
    };
    return [side('A', this.a, row), side('B', this.b, this.bOf.get(row))];
  }
}
