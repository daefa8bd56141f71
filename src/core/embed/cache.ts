/**
 * Embedding caches: an in-memory LRU (lru-cache, in onnxEmbedder.ts) and an on-disk store, both keyed by the model's
 * fingerprint and the text. On disk: `<dir>/<fingerprint>/<xx>.json`, 256 shards by the
 * first byte of the text's sha256, each written atomically.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fsAtomic';

/** sha256 of a text, hex. */
export function textKey(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

interface Shard {
  entries: Map<string, Float32Array>;
  dirty: boolean;
}

/** The on-disk cache of one model (fingerprint). Unreadable shards are ignored and rewritten. */
export class DiskCache {
  private readonly shards = new Map<string, Promise<Shard>>();
  private dirtyCount = 0;
  readonly dir: string;

  constructor(
    root: string,
    fingerprint: string,
    readonly dim: number | null = null,
  ) {
    this.dir = join(root, fingerprint);
  }

  private shard(key: string): Promise<Shard> {
    const name = key.slice(0, 2);
    let s = this.shards.get(name);
    if (!s) {
      s = this.load(name);
      this.shards.set(name, s);
    }
    return s;
  }

  private async load(name: string): Promise<Shard> {
    const entries = new Map<string, Float32Array>();
    try {
      const obj = JSON.parse(await readFile(join(this.dir, `${name}.json`), 'utf8')) as {
        v?: number;
        entries?: Record<string, string>;
      };
      if (obj.v === 1 && obj.entries) {
        for (const [k, b64] of Object.entries(obj.entries)) {
          const buf = Buffer.from(b64, 'base64');
          entries.set(k, new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)));
        }
      }
    } catch {
      // Missing or unreadable: start empty.
    }
    return { entries, dirty: false };
  }

  /** The cached vector of a text key, or undefined. */
  async get(key: string): Promise<Float32Array | undefined> {
    return (await this.shard(key)).entries.get(key);
  }

  /** Stores a vector (written on `flush`). */
  async set(key: string, v: Float32Array): Promise<void> {
    const s = await this.shard(key);
    s.entries.set(key, v);
    if (!s.dirty) s.dirty = true;
    this.dirtyCount++;
  }

  /** Vectors stored since the last flush. */
  get pending(): number {
    return this.dirtyCount;
  }

  /** Writes every changed shard atomically. */
  async flush(): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const [name, sp] of this.shards) {
      const s = await sp;
      if (!s.dirty) continue;
      s.dirty = false;
      const entries: Record<string, string> = {};
      for (const [k, v] of s.entries) entries[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
      writes.push(writeFileAtomic(join(this.dir, `${name}.json`), JSON.stringify({ v: 1, entries })));
    }
    this.dirtyCount = 0;
    await Promise.all(writes);
  }
}
