/**
 * Splits a growing log into segments as a terminal would show them: a segment ends at a
 * newline (`\n` or `\r\n`, which also ends the line) or at a lone carriage return (tqdm
 * redrawing its bar on the same line). The text after the last line end waits for more.
 */

/** A finished piece of the log. */
export interface Segment {
  text: string;
  /** 1-based line of the log. */
  line: number;
  /** 1-based column where the segment starts (after earlier `\r` segments of the same line). */
  column: number;
}

/** Feeds chunks (strings or UTF-8 bytes, cut anywhere) and returns finished segments. */
export class LineSplitter {
  private pending = '';
  private line = 1;
  private column = 1;
  private readonly decoder = new TextDecoder('utf-8');

  /** Segments finished by this chunk of UTF-8 bytes (a character cut between chunks waits). */
  feedBytes(bytes: Uint8Array): Segment[] {
    return this.feed(this.decoder.decode(bytes, { stream: true }));
  }

  /** Segments finished by this chunk of text. */
  feed(chunk: string): Segment[] {
    const text = this.pending + chunk;
    const out: Segment[] = [];
    let start = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 13) {
        // A '\r' at the very end may be the first half of '\r\n': wait for the next chunk.
        if (i === n - 1) break;
        if (text.charCodeAt(i + 1) === 10) {
          out.push(this.take(text, start, i, true));
          start = ++i + 1;
          continue;
        }
        out.push(this.take(text, start, i, false));
      } else out.push(this.take(text, start, i, true));
      start = i + 1;
    }
    this.pending = text.slice(start);
    return out;
  }

  /** Flushes the last, unterminated piece (at the end of a finished log). */
  end(): Segment[] {
    const tail = this.pending + this.decoder.decode();
    this.pending = '';
    if (tail === '' || tail === '\r') return [];
    const text = tail.endsWith('\r') ? tail.slice(0, -1) : tail;
    return [{ text, line: this.line, column: this.column }];
  }

  private take(text: string, from: number, to: number, endsLine: boolean): Segment {
    const seg = { text: text.slice(from, to), line: this.line, column: this.column };
    if (endsLine) {
      this.line++;
      this.column = 1;
    } else this.column += to - from + 1;
    return seg;
  }
}
