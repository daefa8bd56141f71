/**
 * Filters shared by the Datasets and Runs views: text search, difficulty, category, bucket, flag.
 * Commands: rarft.search, rarft.filter, rarft.clearFilters (context key rarft.filtered).
 */
import * as vscode from 'vscode';
import { BUCKETS, BUCKET_LABELS, type Bucket } from '../../core/buckets';
import { CATEGORIES, DIFFICULTIES } from '../../core/taxonomy';
import { DisposableBase } from '../disposable';

/** The active filters; empty fields match everything. */
export interface FilterState {
  text: string;
  difficulty: string | null;
  category: string | null;
  bucket: Bucket | null;
  /** Only samples with this flag tag (.rarft/flags.json). */
  flag: string | null;
  /** Only these items of one run file (the samples behind a dashboard bar); Runs view only. */
  samples: SampleSet | null;
}

/** A set of items of one run file, with what they are (for the view's message). */
export interface SampleSet {
  file: string;
  positions: ReadonlySet<number>;
  label: string;
}

/** What a row offers to the filters. */
export interface Filterable {
  query: string;
  video: string;
  difficulty: string | null | undefined;
  categories: readonly string[];
  bucket: Bucket | null | undefined;
  /** The annotation file of the row (flags are per file); undefined for run items (any file's flag counts). */
  file?: string;
}

/** Where the flag filter reads tags (the curation feature's flag store). */
export interface FlagSource {
  tagsOf(video: string, query: string, file?: string): string[];
  tags(): string[];
  onDidChange: vscode.Event<void>;
}

const NONE: FilterState = { text: '', difficulty: null, category: null, bucket: null, flag: null, samples: null };

/** Holds the filter state, its commands and its change event. */
export class Filters extends DisposableBase {
  private value: FilterState = NONE;
  private needle = '';
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly flags?: FlagSource) {
    super();
    // Flags changed: the flag filter's result and the rows' flag marks may change.
    if (flags) this.own(flags.onDidChange(() => this.changed.fire()));
    this.own(vscode.commands.registerCommand('rarft.search', () => this.promptText()));
    this.own(vscode.commands.registerCommand('rarft.filter', () => this.promptFilter()));
    this.own(vscode.commands.registerCommand('rarft.clearFilters', () => this.set(NONE)));
  }

  get state(): Readonly<FilterState> {
    return this.value;
  }

  get active(): boolean {
    const v = this.value;
    return !!(v.text || v.difficulty || v.category || v.bucket || v.flag || v.samples);
  }

  /** Replaces the filters (partial) and notifies the views. */
  set(next: Partial<FilterState>): void {
    this.value = { ...this.value, ...next };
    this.needle = this.value.text.trim().toLowerCase();
    void vscode.commands.executeCommand('setContext', 'rarft.filtered', this.active);
    this.changed.fire();
  }

  /** True when item `position` of run file `file` is in the sample set (or no set is active). */
  inSampleSet(file: string, position: number): boolean {
    const s = this.value.samples;
    return !s || (s.file === file && s.positions.has(position));
  }

  /** The flag tags on a sample (none without a flag source). */
  tagsOf(video: string, query: string, file?: string): string[] {
    return this.flags?.tagsOf(video, query, file) ?? [];
  }

  /** True when a row passes every filter. */
  matches(row: Filterable): boolean {
    const v = this.value;
    if (v.difficulty && row.difficulty !== v.difficulty) return false;
    if (v.category && !row.categories.includes(v.category)) return false;
    if (v.bucket && row.bucket !== v.bucket) return false;
    if (v.flag && !this.flags?.tagsOf(row.video, row.query, row.file).includes(v.flag)) return false;
    if (this.needle && !row.query.toLowerCase().includes(this.needle) && !row.video.toLowerCase().includes(this.needle))
      return false;
    return true;
  }

  /** One line describing the filters, for the views' messages. */
  describe(withSamples = true): string {
    const v = this.value;
    const parts: string[] = [];
    if (v.text) parts.push(`"${v.text}"`);
    if (v.difficulty) parts.push(`difficulty ${v.difficulty}`);
    if (v.category) parts.push(v.category);
    if (v.bucket) parts.push(BUCKET_LABELS[v.bucket]);
    if (v.flag) parts.push(`flagged ${v.flag}`);
    if (v.samples && withSamples) parts.push(`${v.samples.positions.size} samples: ${v.samples.label}`);
    return parts.join(' · ');
  }

  private async promptText(): Promise<void> {
    const text = await vscode.window.showInputBox({
      ignoreFocusOut: true,
      title: 'RA-RFT: Search Queries',
      prompt: 'Text in the query or the video path (empty clears the search)',
      value: this.value.text,
    });
    if (text !== undefined) this.set({ text });
  }

  private async promptFilter(): Promise<void> {
    type Pick = vscode.QuickPickItem & { apply?: Partial<FilterState> };
    const v = this.value;
    const mark = (on: boolean) => (on ? '$(check) ' : '');
    const items: Pick[] = [
      { label: 'Difficulty', kind: vscode.QuickPickItemKind.Separator },
      { label: `${mark(!v.difficulty)}Any difficulty`, apply: { difficulty: null } },
      ...DIFFICULTIES.map((d) => ({ label: `${mark(v.difficulty === d)}${d}`, apply: { difficulty: d } })),
      { label: 'Category', kind: vscode.QuickPickItemKind.Separator },
      { label: `${mark(!v.category)}Any category`, apply: { category: null } },
      ...CATEGORIES.map((c) => ({ label: `${mark(v.category === c)}${c}`, apply: { category: c } })),
      { label: 'Error bucket (Runs)', kind: vscode.QuickPickItemKind.Separator },
      { label: `${mark(!v.bucket)}Any bucket`, apply: { bucket: null } },
      ...BUCKETS.map((b) => ({ label: `${mark(v.bucket === b)}${BUCKET_LABELS[b]}`, apply: { bucket: b } })),
      { label: 'Flag', kind: vscode.QuickPickItemKind.Separator },
      { label: `${mark(!v.flag)}Any flag or none`, apply: { flag: null } },
      ...(this.flags?.tags() ?? []).map((t) => ({
        label: `${mark(v.flag === t)}$(bookmark) ${t}`,
        apply: { flag: t },
      })),
    ];
    const pick = await vscode.window.showQuickPick(items, {
      ignoreFocusOut: true,
      title: 'RA-RFT: Filter Queries',
      placeHolder: this.describe() || 'No filter',
    });
    if (pick?.apply) this.set(pick.apply);
  }
}
