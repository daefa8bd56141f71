/** Reads a file of model-output items for the evaluation and the rewards (FORMATS.md §2). */
import { readFile, readFileSync } from 'node:fs';
import { looksLikeAnnotations } from '../dataset/annotations';
import { placeProblems } from '../dataset/place';
import { readRun, type DuplicateFinder } from '../dataset/runs';
import { LineIndex, parseJson } from '../json/positions';
import type { Problem } from '../problems';

/** Input the user can fix (a missing file, broken JSON, not a run): the message says what and where. */
export class InputError extends Error {}

/** Items read from a file, with its text (to place later problems at their line and column). */
export interface ItemsFile {
  path: string;
  text: string;
  items: Record<string, unknown>[];
}

const EXPECTED = 'expected a JSON array of inference items (video, query, model_output, gt_relevant, …)';

/** Reads a file into text; system errors become `InputError`s that name the path in our words. */
export async function readTextFile(path: string, what = 'a JSON file'): Promise<string> {
  try {
    // fs.readFile with a callback, not fs/promises: on Node 20 the promise version decodes the
    // file chunk by chunk into a rope that JSON.parse flattens, which leaves a second copy of a
    // 52 MB text for a full collection to free; the callback version reads the whole file and
    // decodes it once (read + parse, fresh processes interleaved ×9: 254 vs 278 ms median, heap
    // after the parse 106 vs 158 MB).
    return await new Promise<string>((done, failed) =>
      readFile(path, 'utf8', (e, text) => (e ? failed(e) : done(text))),
    );
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? `is a folder, expected ${what}`
          : code === 'ENOTDIR'
            ? 'a part of this path is a file, not a folder'
            : code === 'EACCES' || code === 'EPERM'
              ? 'permission denied'
              : code === 'ELOOP'
                ? 'too many symbolic links (a link loop?)'
                : (e as Error).message;
    throw new InputError(`${path}: ${why}`);
  }
}

/** Parses JSON text; a syntax error is an `InputError` at its line and column. */
export function parseJsonText(path: string, text: string): unknown {
  const r = parseJson(text);
  if (r.ok) return r.value;
  const p = new LineIndex(text).position(r.offset);
  throw new InputError(`${path}:${p.line}:${p.column}: not valid JSON: ${r.message}`);
}

/**
 * Checks that a parsed value is a list of model-output items. A file where no item has
 * `model_output` (an annotation file given by mistake) is an error, not a run.
 */
export function asItems(path: string, text: string, value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new InputError(`${path}: ${EXPECTED}`);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      const [p] = placeProblems(path, text, [{ severity: 'error', code: 'wrong-type', path: [i], message: '' }]);
      throw new InputError(`${path}:${p.line}:${p.column}: item ${i} is not an object`);
    }
  }
  const items = value as Record<string, unknown>[];
  if (items.length && !items.some((it) => 'model_output' in it)) {
    const what = looksLikeAnnotations(value)
      ? 'this is an annotation file (videos with "GRPO" queries), not model outputs'
      : 'no item has "model_output"';
    throw new InputError(`${path}: ${what}; ${EXPECTED}`);
  }
  return items;
}

/** Reads, parses and shape-checks an items file. */
export async function readItems(path: string, onPhase?: (phase: 'read' | 'parse') => void): Promise<ItemsFile> {
  const text = await readTextFile(path);
  onPhase?.('read');
  const value = parseJsonText(path, text);
  onPhase?.('parse');
  return { path, text, items: asItems(path, text, value) };
}

/** `readItems` in this thread's time (a result whose items were left in a worker reads them again when asked). */
export function readItemsSync(path: string): ItemsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${path}: ${(e as Error).message}`);
  }
  return { path, text, items: asItems(path, text, parseJsonText(path, text)) };
}

/**
 * The items' validation problems (the same rules and codes as `index`): errors at their line
 * and column, warnings counted by code (`rarft index` places those; placing them here would
 * scan the whole text again for a count).
 */
export function validateItems(
  file: ItemsFile,
  each?: (item: Record<string, unknown>, i: number) => void,
  duplicates?: DuplicateFinder,
): { errors: Problem[]; warningsByCode: Record<string, number> } {
  const pending = readRun(file.items, { items: false, each, duplicates }).problems;
  const warningsByCode: Record<string, number> = {};
  for (const p of pending) if (p.severity !== 'error') warningsByCode[p.code] = (warningsByCode[p.code] ?? 0) + 1;
  const errors = pending.filter((p) => p.severity === 'error');
  return { errors: placeProblems(file.path, file.text, errors), warningsByCode };
}
