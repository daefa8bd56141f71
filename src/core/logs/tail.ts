/**
 * Reading a log file that grows: each `read()` reads from the byte offset where the last one
 * stopped to the current end, so no line is read twice or lost. A file that became shorter
 * (truncated or replaced) is read again from the start. trainer_state.json files are read whole.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { TrainerLogParser } from './trainerLog';
import { looksLikeTrainerState, parseTrainerState } from './trainerState';
import type { LogRecord } from './records';

/** What one read found. */
export interface TailRead {
  records: LogRecord[];
  /** The file was read again from the start: drop what earlier reads gave. */
  reset: boolean;
  /** Bytes read now. */
  bytes: number;
}

const CHUNK = 1 << 20;

/** Follows one log file. */
export class LogTail {
  private parser = new TrainerLogParser();
  private offset = 0;
  /** The file is a trainer_state.json (null until its start was seen). */
  private state: boolean | null = null;
  private ino: number | null = null;
  private stateText = '';

  constructor(readonly path: string) {}

  /** Byte offset read up to. */
  get position(): number {
    return this.offset;
  }

  /** Reads what was appended since the last read; `final` also takes an unterminated last line. */
  async read(final = false): Promise<TailRead> {
    const fh = await open(this.path, 'r');
    try {
      const { size, ino } = await fh.stat();
      // Another file under the same name (replaced, or rotated and recreated) is read from its start.
      const replaced = this.ino !== null && ino !== this.ino;
      this.ino = ino;
      if (this.state && !replaced) return await this.readState(fh, size, final);
      let reset = false;
      if (size < this.offset || replaced) {
        this.state = null;
        this.parser = new TrainerLogParser();
        this.offset = 0;
        reset = true;
      }
      const records: LogRecord[] = [];
      const start = this.offset;
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size - start, 1)));
      while (this.offset < size) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - this.offset), this.offset);
        if (bytesRead === 0) break;
        if (this.state === null) {
          this.state = looksLikeTrainerState(buf.toString('utf8', 0, Math.min(bytesRead, 4096)));
          if (this.state) return await this.readState(fh, size, final);
        }
        for (const r of this.parser.feedBytes(buf.subarray(0, bytesRead))) records.push(r);
        this.offset += bytesRead;
      }
      if (final) for (const r of this.parser.end()) records.push(r);
      return { records, reset, bytes: this.offset - start };
    } finally {
      await fh.close();
    }
  }

  /** A trainer_state.json is rewritten whole at each save: read it whole when it changed, parse it once complete. */
  private async readState(fh: FileHandle, size: number, final: boolean): Promise<TailRead> {
    const text = (await fh.readFile()).toString('utf8');
    this.offset = size;
    if (text === this.stateText) return { records: [], reset: false, bytes: 0 };
    const records = parseTrainerState(text);
    const broken = records.length === 1 && records[0].kind === 'problem';
    if (broken && !final) return { records: [], reset: false, bytes: 0 };
    this.stateText = text;
    return { records, reset: true, bytes: size };
  }
}
