/**
 * The `--where` filter of `rarft export`: clauses `field op value[|value…]`, all of which must
 * hold (AND); `|` separates alternatives (OR). Fields: `difficulty`, `r` (true/false, or
 * answerable/refusable), `category`, `video`, `q`. Operators: `=`, `!=`, `~` (contains, any
 * case), `!~`.
 */
import { CurationError } from './annoDoc';

/** One parsed clause. */
export interface Clause {
  field: 'difficulty' | 'r' | 'category' | 'video' | 'q';
  op: '=' | '!=' | '~' | '!~';
  values: string[];
  /** The clause as written (for the manifest). */
  text: string;
}

/** What a clause is tested against. */
export interface QueryFacts {
  video: string;
  q: string;
  r: boolean | null;
  difficulty: string | null;
  categories: readonly string[];
}

const FIELDS = new Set(['difficulty', 'r', 'category', 'video', 'q']);
const CLAUSE = /^\s*([a-z_]+)\s*(!=|!~|=|~)\s*(.*?)\s*$/;

/** Parses one `--where` clause; a malformed one is a CurationError saying what was expected. */
export function parseClause(text: string): Clause {
  const m = CLAUSE.exec(text);
  if (!m)
    throw new CurationError(
      `--where ${JSON.stringify(text)}: expected field=value, field!=value, field~text or field!~text`,
    );
  const [, field, op, rest] = m;
  if (!FIELDS.has(field))
    throw new CurationError(
      `--where ${JSON.stringify(text)}: unknown field '${field}' (difficulty, r, category, video, q)`,
    );
  const values = rest.split('|').map((v) => v.trim());
  if (values.some((v) => v === '')) throw new CurationError(`--where ${JSON.stringify(text)}: empty value`);
  if (field === 'r') {
    for (const v of values)
      if (!['true', 'false', 'answerable', 'refusable'].includes(v))
        throw new CurationError(
          `--where ${JSON.stringify(text)}: r is true/false (or answerable/refusable), got '${v}'`,
        );
  }
  return { field: field as Clause['field'], op: op as Clause['op'], values, text: text.trim() };
}

function fieldValues(c: Clause, f: QueryFacts): string[] {
  switch (c.field) {
    case 'difficulty':
      return [f.difficulty ?? ''];
    case 'r':
      return f.r === null ? [] : f.r ? ['true', 'answerable'] : ['false', 'refusable'];
    case 'category':
      return [...f.categories];
    case 'video':
      return [f.video];
    case 'q':
      return [f.q];
    default: {
      const never: never = c.field;
      return never;
    }
  }
}

/** Whether one clause holds for a query. */
export function clauseHolds(c: Clause, f: QueryFacts): boolean {
  const have = fieldValues(c, f);
  const contains = c.op === '~' || c.op === '!~';
  const hit = contains
    ? c.values.some((v) => have.some((h) => h.toLowerCase().includes(v.toLowerCase())))
    : c.values.some((v) => have.includes(v));
  return c.op === '=' || c.op === '~' ? hit : !hit;
}

/** The first clause that fails for a query, or null when all hold. */
export function failingClause(clauses: readonly Clause[], f: QueryFacts): Clause | null {
  for (const c of clauses) if (!clauseHolds(c, f)) return c;
  return null;
}
