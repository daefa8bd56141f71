/** The CLI's worker thread (see src/core/threads/pool.ts): answers each request in turn; a failure is an `error` reply. */
import { resolve } from 'node:path';
import { parentPort, workerData, type Transferable } from 'node:worker_threads';
import { twoPartInputOf } from './evaluateSpec';
import { bootstrapDeltas } from '../core/compare/bootstrap';
import { sideJob } from '../core/compare/threads';
import { packedBuffers } from '../core/compare/wire';
import { FIRST_SHARE, partBuffers, secondPart } from '../core/eval/parts';
import { findCut } from '../core/eval/split';
import type { ThreadReply, ThreadRequest } from '../core/threads/protocol';

async function answer(m: ThreadRequest): Promise<[ThreadReply, Transferable[]]> {
  switch (m.kind) {
    case 'bootstrap':
      return [{ id: m.id, intervals: m.tables.map((t) => bootstrapDeltas(t, m.resamples, m.seed)) }, []];
    case 'side': {
      const r = await sideJob(m.path, m.annotationFiles);
      return [{ id: m.id, ...r }, packedBuffers(r.judgments)];
    }
    case 'part': {
      const part = secondPart(m.path, m.cut);
      return [{ id: m.id, part }, partBuffers(part)];
    }
    default: {
      const never: never = m;
      throw new Error(`unknown request ${JSON.stringify(never)}`);
    }
  }
}

parentPort?.on('message', async (m: ThreadRequest) => {
  let reply: [ThreadReply, Transferable[]];
  try {
    reply = await answer(m);
  } catch (e) {
    reply = [{ id: m.id, error: e instanceof Error ? e.message : String(e) }, []];
  }
  parentPort?.postMessage(...reply);
});

/**
 * Started early by bin/rarft.js with an `evaluate` command's arguments: when that run goes in two
 * parts, the second part is judged at once, while the command's thread still compiles the CLI,
 * and sent as message 0 (`early` names the file and the cut; null when there is nothing to do).
 * The command uses it only when it cut the same file at the same place.
 */
function earlyPart(args: string[]): [unknown, Transferable[]] {
  const input = twoPartInputOf(args);
  const cut = input === undefined ? undefined : findCut(input, FIRST_SHARE);
  if (input === undefined || !cut) return [{ id: 0, early: null }, []];
  const part = secondPart(input, cut);
  return [{ id: 0, early: { path: resolve(input), cut }, part }, partBuffers(part)];
}

const early = (workerData as { early?: { args?: unknown } } | undefined)?.early;
if (early && Array.isArray(early.args)) {
  let reply: [unknown, Transferable[]];
  try {
    reply = earlyPart(early.args.map(String));
  } catch (e) {
    reply = [{ id: 0, early: null, error: e instanceof Error ? e.message : String(e) }, []];
  }
  parentPort?.postMessage(...reply);
}
