/** POSIX shell quoting: the one place an argument is turned into remote-shell text. */

/**
 * Quotes one argument for a POSIX shell: single quotes, with each `'` written as `'\''`. Any
 * byte sequence (spaces, `;`, `$()`, backticks, newlines) comes out of the shell as it went in.
 */
export function shQuote(arg: string): string {
  if (arg.includes('\0')) throw new Error('an argument cannot hold a NUL byte');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Quotes each argument of an argv array and joins them with spaces. */
export function shJoin(argv: readonly string[]): string {
  return argv.map(shQuote).join(' ');
}
