/** A bootstrap worker thread (see bootstrapPool.ts): answers each request with its tables' intervals. */
import { parentPort } from 'node:worker_threads';
import { bootstrapDeltas } from './bootstrap';
import type { BootstrapReply, BootstrapRequest } from './bootstrapPool';

parentPort?.on('message', (m: BootstrapRequest) => {
  let reply: BootstrapReply;
  try {
    reply = { id: m.id, intervals: m.tables.map((t) => bootstrapDeltas(t, m.resamples, m.seed)) };
  } catch (e) {
    reply = { id: m.id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(reply);
});
