/**
 * A local HTTP server on 127.0.0.1 in the Hugging Face hub's URL layout, for download tests:
 *   GET /api/models/{owner}/{name}/tree/{revision}?recursive=1   file list with sizes and hashes
 *   GET /{owner}/{name}/resolve/{revision}/{path}                file bytes (LFS files redirect
 *                                                                to /cdn/{sha256}, as the hub does)
 * Range requests give 206. Faults for tests: drop the connection part-way through a file (once),
 * stall part-way through a file, answer 503 a few times, serve corrupted bytes for a file, or ignore Range.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Faults to inject. */
export interface HubFaults {
  /** path → byte count: the first request for that file is cut after this many bytes. */
  dropAfter?: Record<string, number>;
  /** Paths whose served bytes differ from the listed hash (one byte flipped). */
  corrupt?: string[];
  /** path → byte count: the response sends this many bytes, then stalls until the client goes away. */
  stallAfter?: Record<string, number>;
  /** path → count: the first requests for that file get 503 with `Retry-After: 0`. */
  failFirst?: Record<string, number>;
  /** Answer 200 with the whole file even when a Range is asked for. */
  ignoreRange?: boolean;
}

/** A request the server saw. */
export interface HubRequest {
  url: string;
  range?: string;
}

/** A running hub. */
export interface HubServer {
  baseUrl: string;
  requests: HubRequest[];
  faults: HubFaults;
  close(): Promise<void>;
}

/** Files served at or above this size are listed and served as LFS files. */
const LFS_THRESHOLD = 10_000;

/** Starts a hub serving `repos` (repo id → path → bytes) at revision `main`. */
export async function startHubServer(
  repos: Record<string, Record<string, Uint8Array>>,
  faults: HubFaults = {},
): Promise<HubServer> {
  const requests: HubRequest[] = [];
  const dropped = new Set<string>();
  const bySha = new Map<string, { repo: string; path: string }>();
  const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  for (const [repo, files] of Object.entries(repos))
    for (const [path, data] of Object.entries(files))
      if (data.length >= LFS_THRESHOLD) bySha.set(sha256(data), { repo, path });

  const tree = (repo: string) => {
    const files = repos[repo];
    const dirs = new Set<string>();
    const out: unknown[] = [];
    for (const [path, data] of Object.entries(files)) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
      const oid = createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
      const entry: Record<string, unknown> = { type: 'file', oid, size: data.length, path };
      if (data.length >= LFS_THRESHOLD) entry.lfs = { oid: sha256(data), size: data.length, pointerSize: 134 };
      out.push(entry);
    }
    for (const d of dirs) out.push({ type: 'directory', oid: '0'.repeat(40), size: 0, path: d });
    return out;
  };

  const failures = new Map<string, number>();
  const sendFile = (req: IncomingMessage, res: ServerResponse, repo: string, path: string) => {
    const failed = failures.get(path) ?? 0;
    if (failed < (faults.failFirst?.[path] ?? 0)) {
      failures.set(path, failed + 1);
      res.writeHead(503, { 'retry-after': '0' }).end('busy');
      return;
    }
    let data = repos[repo][path];
    if (faults.corrupt?.includes(path)) {
      data = Uint8Array.from(data);
      data[Math.floor(data.length / 2)] ^= 0xff;
    }
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && !faults.ignoreRange) {
      start = Number(range[1]);
      if (start >= data.length) {
        res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
        return;
      }
      res.writeHead(206, {
        'content-length': data.length - start,
        'content-range': `bytes ${start}-${data.length - 1}/${data.length}`,
        'accept-ranges': 'bytes',
      });
    } else res.writeHead(200, { 'content-length': data.length, 'accept-ranges': 'bytes' });
    const body = data.subarray(start);
    const stall = faults.stallAfter?.[path];
    if (stall !== undefined && stall < body.length) {
      res.write(body.subarray(0, stall));
      return;
    }
    const cut = faults.dropAfter?.[path];
    if (cut !== undefined && !dropped.has(path) && cut < body.length) {
      dropped.add(path);
      res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(body);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ url: url.pathname + url.search, range: req.headers.range });
    let m = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/([^/]+)$/.exec(url.pathname);
    if (m && repos[m[1]] && m[2] === 'main') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(tree(m[1])));
      return;
    }
    m = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(url.pathname);
    if (m && repos[m[1]]) {
      const path = decodeURIComponent(m[2]);
      const data = repos[m[1]][path];
      if (!data) {
        res.writeHead(404).end('Entry not found');
        return;
      }
      if (data.length >= LFS_THRESHOLD) {
        res.writeHead(302, { location: `/cdn/${sha256(data)}` }).end();
        return;
      }
      sendFile(req, res, m[1], path);
      return;
    }
    m = /^\/cdn\/([0-9a-f]{64})$/.exec(url.pathname);
    const lfs = m && bySha.get(m[1]);
    if (lfs) {
      sendFile(req, res, lfs.repo, lfs.path);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Repository not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
