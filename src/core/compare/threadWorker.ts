/** A compare worker thread (see threads.ts): answers each request in turn. */
import { parentPort } from 'node:worker_threads';
import { readItems } from '../eval/read';
import { offlineJudge } from '../eval/judge';
import { judgeRun } from '../report/judgedRun';
import { bootstrapDeltas } from './bootstrap';
import { packedBuffers, packJudgments } from './wire';
import { SIDE_KEYS, type ThreadReply, type ThreadRequest } from './threads';

/** The run judged offline, with only the item keys a comparison reads (the rest stays here). */
async function side(path: string, annotationFiles: readonly string[]) {
  const { items } = await readItems(path);
  const run = await judgeRun(path, items, { judge: offlineJudge, annotationFiles });
  const slim = items.map((it) => {
    const out: Record<string, unknown> = {};
    for (const k of SIDE_KEYS) if (k in it) out[k] = it[k];
    return out;
  });
  const { judgments, ...rest } = run;
  return { run: { ...rest, items: slim }, judgments: packJudgments(judgments) };
}

parentPort?.on('message', async (m: ThreadRequest) => {
  let reply: ThreadReply;
  let transfer: ArrayBuffer[] = [];
  try {
    if (m.kind === 'bootstrap')
      reply = { id: m.id, intervals: m.tables.map((t) => bootstrapDeltas(t, m.resamples, m.seed)) };
    else {
      reply = { id: m.id, ...(await side(m.path, m.annotationFiles)) };
      transfer = packedBuffers(reply.judgments);
    }
  } catch (e) {
    reply = { id: m.id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(reply, transfer);
});
