/** The 11 mismatch categories of HI-VTG (the only valid `c` values), in sorted order. */
export const CATEGORIES = [
  'Action/ActionSequence',
  'Action/FineGrainedAction',
  'Attribute/AttributeValue',
  'Attribute/Comparison',
  'Attribute/Counting',
  'Object/ObjectExistence',
  'Object/ObjectMoving',
  'Object/ObjectPartRelation',
  'Object/ObjectSpatialRelation',
  'Scene/SceneExistence',
  'Scene/SceneTransition',
] as const;

export type Category = (typeof CATEGORIES)[number];

const CATEGORY_SET: ReadonlySet<string> = new Set(CATEGORIES);

const CATEGORY_INDEX: ReadonlyMap<string, number> = new Map(CATEGORIES.map((c, i) => [c, i]));

/** The index of `label` in CATEGORIES, or -1 when it is none of them (exact, case-sensitive). */
export function categoryIndex(label: unknown): number {
  return typeof label === 'string' ? (CATEGORY_INDEX.get(label) ?? -1) : -1;
}

/** True when `label` is one of the 11 taxonomy paths (exact, case-sensitive). */
export function isCategory(label: unknown): label is Category {
  return typeof label === 'string' && CATEGORY_SET.has(label);
}

/** Hardness levels as the evaluator names them. */
export const HARDNESS_LEVELS = ['original', 'weak', 'moderate', 'strong'] as const;
export type HardnessLevel = (typeof HARDNESS_LEVELS)[number];

/** Annotation difficulties as the data names them. */
export const DIFFICULTIES = ['original', 'easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

const LEVEL_BY_NAME = new Map<string, HardnessLevel>([
  ['original', 'original'],
  ['easy', 'weak'],
  ['weak', 'weak'],
  ['medium', 'moderate'],
  ['moderate', 'moderate'],
  ['hard', 'strong'],
  ['strong', 'strong'],
]);

const DIFFICULTY_OF = { original: 'original', weak: 'easy', moderate: 'medium', strong: 'hard' } as const;

/**
 * Maps a difficulty or hardness name (easy/medium/hard or weak/moderate/strong, any case)
 * to the evaluator's hardness level; undefined for anything else, including "".
 */
export function toHardnessLevel(name: unknown): HardnessLevel | undefined {
  if (typeof name !== 'string') return undefined;
  // Names are nearly always written as they are keyed: look up first, normalise only on a miss.
  return LEVEL_BY_NAME.get(name) ?? LEVEL_BY_NAME.get(name.trim().toLowerCase());
}

/** Maps a hardness level back to the annotation's difficulty name. */
export function toDifficulty(level: HardnessLevel): Difficulty {
  return DIFFICULTY_OF[level];
}
