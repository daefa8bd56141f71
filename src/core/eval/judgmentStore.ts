/**
 * An evaluation's judgments in columns: one typed array per figure and one list of references
 * per list-valued field, instead of one object per item. 50,000 judgments kept as objects are
 * what the young-generation collector copies (twice each) while a run judges; in columns they
 * are a few arrays that never move. `get` gives an item's judgment as the object the rest of
 * the code knows.
 */
import { HARDNESS_LEVELS, type HardnessLevel } from '../taxonomy';
import type { Span } from '../text';
import type { ItemJudgment, JudgeStepName, StepError } from './evaluate';
import type { RelevanceVerdict } from './judge';

/** Bits of `known`: which of the four figures an item has (a set bit, not a NaN, marks a value). */
const IOU = 1;
const JACCARD = 2;
const REASONING = 4;
const SBERT = 8;
const UNJUDGED = 16;

/** A level's code in `#level`: 1 + its index in HARDNESS_LEVELS. */
const LEVEL_CODE = Object.fromEntries(HARDNESS_LEVELS.map((l, k) => [l, k + 1])) as Record<HardnessLevel, number>;

const NOTHING: never[] = Object.freeze([]) as unknown as never[];

type Disagreement = NonNullable<ItemJudgment['disagreement']>;

/** The judgments of a run, item `i` at index `i`. */
export class JudgmentStore {
  readonly length: number;
  readonly #gtRelevant: Uint8Array;
  /** -1 when step 1 failed (null), else 0 or 1. */
  readonly #predRelevant: Int8Array;
  readonly #known: Uint8Array;
  /** 0 for no level, else 1 + its index in HARDNESS_LEVELS. */
  readonly #level: Uint8Array;
  readonly #iou: Float64Array;
  readonly #jaccard: Float64Array;
  readonly #reasoning: Float64Array;
  readonly #sbert: Float64Array;
  readonly #gtCategories: string[][];
  readonly #predCategories: (string[] | null)[];
  readonly #predSpan: (Span | null)[];
  readonly #reused: (JudgeStepName[] | undefined)[];
  /** The rare ones, by item: errors, reasons something was not computed, disagreements. */
  readonly errors = new Map<number, StepError[]>();
  readonly notComputed = new Map<number, string[]>();
  readonly disagreements = new Map<number, Disagreement>();

  /** A store of `length` judgments; with `figures`, its number columns are those (another store's `figures()`). */
  constructor(length: number, figures?: StoreFigures) {
    this.length = length;
    if (figures && figures.iou.length !== length)
      throw new RangeError(`figures of ${figures.iou.length} judgments for ${length}`);
    this.#gtRelevant = figures?.gtRelevant ?? new Uint8Array(length);
    this.#predRelevant = figures?.predRelevant ?? new Int8Array(length).fill(-1);
    this.#known = figures?.known ?? new Uint8Array(length);
    this.#level = figures?.level ?? new Uint8Array(length);
    this.#iou = figures?.iou ?? new Float64Array(length);
    this.#jaccard = figures?.jaccard ?? new Float64Array(length);
    this.#reasoning = figures?.reasoning ?? new Float64Array(length);
    this.#sbert = figures?.sbert ?? new Float64Array(length);
    this.#gtCategories = new Array(length).fill(NOTHING);
    this.#predCategories = new Array(length).fill(null);
    this.#predSpan = new Array(length).fill(null);
    this.#reused = new Array(length).fill(undefined);
  }

  /** Stores item `i`'s judgment (its lists by reference: the caller gives them up). */
  set(i: number, j: ItemJudgment): void {
    this.#gtRelevant[i] = j.gtRelevant ? 1 : 0;
    this.#predRelevant[i] = j.predRelevant === null ? -1 : j.predRelevant ? 1 : 0;
    let known = j.categoriesUnjudged ? UNJUDGED : 0;
    if (j.iou !== null) {
      known |= IOU;
      this.#iou[i] = j.iou;
    }
    if (j.jaccard !== null) {
      known |= JACCARD;
      this.#jaccard[i] = j.jaccard;
    }
    if (j.reasoningScore !== null) {
      known |= REASONING;
      this.#reasoning[i] = j.reasoningScore;
    }
    if (j.sbert !== null) {
      known |= SBERT;
      this.#sbert[i] = j.sbert;
    }
    this.#known[i] = known;
    this.#level[i] = j.level ? LEVEL_CODE[j.level] : 0;
    this.#gtCategories[i] = j.gtCategories;
    this.#predCategories[i] = j.predCategories;
    this.#predSpan[i] = j.predSpan;
    this.#reused[i] = j.reused;
    // Sparse: a map lookup only for an item that has one (or had one, when set again).
    if (j.errors.length) this.errors.set(i, j.errors);
    else if (this.errors.size) this.errors.delete(i);
    if (j.notComputed.length) this.notComputed.set(i, j.notComputed);
    else if (this.notComputed.size) this.notComputed.delete(i);
    if (j.disagreement) this.disagreements.set(i, j.disagreement);
    else if (this.disagreements.size) this.disagreements.delete(i);
  }

  /** Item `i`'s judgment as a new object. */
  get(i: number): ItemJudgment {
    return this.load(i, blank());
  }

  /**
   * Fills `into` with item `i`'s judgment and returns it (a pass over the store reuses one object).
   * Its lists are the store's own, as a judgment's lists always are: read them, do not change them.
   */
  load(i: number, into: ItemJudgment): ItemJudgment {
    const known = this.#known[i];
    const pred = this.#predRelevant[i];
    const level = this.#level[i];
    into.gtRelevant = this.#gtRelevant[i] === 1;
    into.predRelevant = pred === -1 ? null : pred === 1;
    into.predSpan = this.#predSpan[i];
    into.iou = known & IOU ? this.#iou[i] : null;
    into.predCategories = this.#predCategories[i];
    into.jaccard = known & JACCARD ? this.#jaccard[i] : null;
    into.reasoningScore = known & REASONING ? this.#reasoning[i] : null;
    into.sbert = known & SBERT ? this.#sbert[i] : null;
    into.level = level ? HARDNESS_LEVELS[level - 1] : undefined;
    into.gtCategories = this.#gtCategories[i];
    into.errors = this.errors.get(i) ?? NOTHING;
    into.notComputed = this.notComputed.get(i) ?? NOTHING;
    into.disagreement = this.disagreements.get(i);
    into.categoriesUnjudged = known & UNJUDGED ? true : undefined;
    into.reused = this.#reused[i];
    return into;
  }

  /** Every judgment as an object, in item order (built on each call). */
  all(): ItemJudgment[] {
    const out: ItemJudgment[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.get(i);
    return out;
  }

  /**
   * The number columns themselves (not copies): what the metrics read of each judgment but its
   * lists, for a trip to another thread (transfer their buffers; this store is then done).
   */
  figures(): StoreFigures {
    return {
      gtRelevant: this.#gtRelevant,
      predRelevant: this.#predRelevant,
      known: this.#known,
      level: this.#level,
      iou: this.#iou,
      jaccard: this.#jaccard,
      reasoning: this.#reasoning,
      sbert: this.#sbert,
    };
  }

  /** Item `i`'s GT categories. */
  gtCategoriesAt(i: number): readonly string[] {
    return this.#gtCategories[i];
  }

  /** The steps item `i` reused from its input's cached judgments. */
  reusedAt(i: number): readonly JudgeStepName[] | undefined {
    return this.#reused[i];
  }
}

/** A store's number columns (`JudgmentStore.figures`). */
export interface StoreFigures {
  gtRelevant: Uint8Array;
  predRelevant: Int8Array;
  known: Uint8Array;
  level: Uint8Array;
  iou: Float64Array;
  jaccard: Float64Array;
  reasoning: Float64Array;
  sbert: Float64Array;
}

/** An empty judgment with every key, for `load` to fill (one shape for all). */
export function blank(): ItemJudgment {
  return {
    gtRelevant: false,
    predRelevant: null,
    predSpan: null,
    iou: null,
    predCategories: null,
    jaccard: null,
    reasoningScore: null,
    sbert: null,
    level: undefined as HardnessLevel | undefined,
    gtCategories: NOTHING,
    errors: NOTHING,
    notComputed: NOTHING,
    disagreement: undefined as { offline: RelevanceVerdict; judge: RelevanceVerdict } | undefined,
    categoriesUnjudged: undefined,
    reused: undefined,
  };
}
