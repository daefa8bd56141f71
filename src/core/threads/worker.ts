/** A worker thread (see pool.ts): answers each request in turn; a failure is an `error` reply. */
import { parentPort, type Transferable } from 'node:worker_threads';
import { bootstrapDeltas } from '../compare/bootstrap';
import { sideJob } from '../compare/threads';
import { packedBuffers } from '../compare/wire';
import type { ThreadReply, ThreadRequest } from './protocol';

async function answer(m: ThreadRequest): Promise<[ThreadReply, Transferable[]]> {
  switch (m.kind) {
    case 'bootstrap':
      return [{ id: m.id, intervals: m.tables.map((t) => bootstrapDeltas(t, m.resamples, m.seed)) }, []];
    case 'side': {
      const r = await sideJob(m.path, m.annotationFiles);
      return [{ id: m.id, ...r }, packedBuffers(r.judgments)];
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
