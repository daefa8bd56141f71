/**
 * Follows a log file as it grows: a watch on its folder (so a file created later, or replaced,
 * is still seen) plus a slow poll for file systems without change events; every change reads
 * from the last byte offset (LogTail) into one CurveBuilder. Reads never overlap.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { CurveBuilder, type CurveChange } from './curves';
import { LogTail } from './tail';

/** What a follower reports after each read that found something. */
export interface FollowUpdate {
  builder: CurveBuilder;
  change: CurveChange;
  /** The builder was started afresh (file truncated or replaced, or a trainer_state.json rewritten). */
  reset: boolean;
}

/** Options of `LogFollower`. */
export interface FollowOptions {
  /** Poll period in ms (a fallback beside the watch). */
  pollMs?: number;
  onUpdate(u: FollowUpdate): void;
  onError(e: Error): void;
}

/** Follows one file until disposed. */
export class LogFollower {
  private tail: LogTail;
  builder = new CurveBuilder();
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private disposed = false;
  private lastError = '';

  constructor(
    readonly path: string,
    private readonly opts: FollowOptions,
  ) {
    this.tail = new LogTail(path);
  }

  /** Reads what is there and starts watching. */
  async start(): Promise<void> {
    try {
      this.watcher = watch(dirname(this.path), (_event, name) => {
        if (!name || name === basename(this.path)) this.poke();
      });
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // No watch here (a folder that does not exist yet): the poll still works.
    }
    this.timer = setInterval(() => this.poke(), this.opts.pollMs ?? 1000);
    this.timer.unref?.();
    this.poke();
    await this.reading;
  }

  /** Reads now (coalesces with a read in progress). */
  poke(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.readLoop().finally(() => (this.reading = null));
    return this.reading;
  }

  private async readLoop(): Promise<void> {
    do {
      this.again = false;
      try {
        const r = await this.tail.read();
        this.lastError = '';
        if (this.disposed || (!r.reset && r.records.length === 0)) continue;
        if (r.reset) this.builder = new CurveBuilder();
        const change = this.builder.add(r.records);
        this.opts.onUpdate({ builder: this.builder, change, reset: r.reset });
      } catch (e) {
        const msg = (e as Error).message;
        // Report each distinct failure once (a missing file is polled quietly until it appears).
        if (msg !== this.lastError && !this.disposed) this.opts.onError(e as Error);
        this.lastError = msg;
      }
    } while (this.again && !this.disposed);
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
  }
}
