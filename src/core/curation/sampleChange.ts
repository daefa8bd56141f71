/** What one edit of a sample changes (pure types: the webview bundle type-checks against them). */
import type { Span } from '../text';

/** One change to a sample. `span` and `duration` are the entry's; the others the query's. */
export type SampleChange =
  | { field: 'span'; value: Span }
  | { field: 'duration'; value: number }
  | { field: 'q'; value: string }
  | { field: 'a'; value: string }
  | { field: 'r'; value: boolean }
  | { field: 'difficulty'; value: string }
  | { field: 'c'; value: string[] };
