/**
 * A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions API, for tests and
 * benchmarks of the LLM judge. By default it answers each judge step deterministically and
 * step 1 by the rule of FORMATS.md §3 (its own copy of the rule, so it is an independent
 * oracle); `script` can answer any request differently: latency, errors with headers,
 * malformed content, a request that never gets an answer, a page that is not the API.
 * `startSilentServer` accepts connections and never says a byte.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

/** The judge step a request asks, from its response_format name or its system prompt. */
export type Step = 'relevance' | 'categories' | 'reasoning' | 'unknown';

/** A request as the script sees it. */
export interface SeenRequest {
  /** 1-based arrival number. */
  n: number;
  /** Arrival time (ms since epoch). */
  at: number;
  step: Step;
  system: string;
  user: string;
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}

/** What to answer. */
export type Reply =
  | { content: string; delayMs?: number }
  | { status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number }
  /** A body sent as it is (an HTML page, a 501 from a plain web server). */
  | { status: number; raw: string; contentType: string; delayMs?: number }
  | { hang: true }
  /** The default answer, sent once `after` settles (a test orders replies by events, not by delays). */
  | { after: Promise<unknown> };

/** Server behaviour. */
export interface ServerOptions {
  /** Delay before every answer (ms). */
  latencyMs?: number;
  /** Answer without honouring response_format: JSON in code fences, Python dicts, prose. */
  ignoreResponseFormat?: boolean;
  /** Answer 400 to any request carrying response_format (as some servers do). */
  rejectResponseFormat?: boolean;
  /** Per-request override; return undefined for the default answer. */
  script?: (req: SeenRequest) => Reply | undefined;
}

/** A running server. */
export interface FakeOpenAi {
  /** Base URL to give the client (ends in /v1). */
  baseUrl: string;
  /** Requests received so far, in order. */
  log: SeenRequest[];
  /** Requests being answered now, and the most at once. */
  inFlight: number;
  peakInFlight: number;
  close(): Promise<void>;
}

const TIMESTAMP = /(\d+\.?\d*)\s+to\s+(\d+\.?\d*)/;
const LABELS = [
  'Action/ActionSequence',
  'Action/FineGrainedAction',
  'Attribute/AttributeValue',
  'Attribute/Comparison',
  'Attribute/Counting',
  'Object/ObjectExistence',
  'Object/ObjectMoving',
  'Object/ObjectPartRelation',
  'Object/ObjectSpatialRelation',
  'Scene/SceneExistence',
  'Scene/SceneTransition',
];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** The default answer of a step, as a plain object. */
export function defaultAnswer(step: Step, user: string): Record<string, unknown> {
  if (step === 'relevance') {
    const m = TIMESTAMP.exec(user);
    return m
      ? { classification: 'relevant', span: [parseFloat(m[1]), parseFloat(m[2])] }
      : { classification: 'irrelevant', span: null };
  }
  if (step === 'categories') {
    const h = hash(user);
    return { categories: h % 3 === 0 ? [LABELS[h % 11], LABELS[(h >>> 4) % 11]] : [LABELS[h % 11]] };
  }
  if (step === 'reasoning') return { score: hash(user) % 6 };
  return {};
}

/** The same object the way a server that ignores response_format might write it. */
function loose(obj: Record<string, unknown>, n: number): string {
  const json = JSON.stringify(obj);
  switch (n % 3) {
    case 0:
      return 'Here is my judgment:\n```json\n' + JSON.stringify(obj, null, 2) + '\n```';
    case 1:
      return json.replace(/"/g, "'").replace(/null/g, 'None').replace(/true/g, 'True').replace(/false/g, 'False');
    default:
      return `Sure. ${json} I hope this helps.`;
  }
}

function stepOf(body: Record<string, unknown>, system: string): Step {
  const rf = body.response_format as { json_schema?: { name?: string } } | undefined;
  const name = rf?.json_schema?.name;
  if (name === 'rarft_relevance') return 'relevance';
  if (name === 'rarft_categories') return 'categories';
  if (name === 'rarft_reasoning') return 'reasoning';
  if (system.includes('"classification"')) return 'relevance';
  if (system.includes('"categories"')) return 'categories';
  if (system.includes('"score"')) return 'reasoning';
  return 'unknown';
}

const tokens = (s: string) => Math.ceil(s.length / 4);

/** A JSON reply (unless the client has gone). */
function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The request as the script sees it, or undefined after answering a bad request itself. */
function readRequest(req: IncomingMessage, res: ServerResponse, raw: Buffer, n: number): SeenRequest | undefined {
  if (req.method !== 'POST' || !/\/chat\/completions$/.test(req.url ?? '')) {
    send(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
    return undefined;
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } catch {
    send(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
    return undefined;
  }
  const messages = (body.messages as { role: string; content: string }[]) ?? [];
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  return { n, at: Date.now(), step: stepOf(body, system), system, user, body, headers: req.headers };
}

/** The script's answer, else the server's default for the options. */
function chooseReply(options: ServerOptions, seen: SeenRequest): Reply {
  return options.script?.(seen) ?? defaultReply(options, seen);
}

/** The server's own answer for the options. */
function defaultReply(options: ServerOptions, seen: SeenRequest): Exclude<Reply, { hang: true } | { after: unknown }> {
  if (options.rejectResponseFormat && seen.body.response_format)
    return {
      status: 400,
      body: {
        error: {
          message: "response_format 'json_schema' is not supported by this server",
          type: 'invalid_request_error',
        },
      },
    };
  const obj = defaultAnswer(seen.step, seen.user);
  return {
    content: options.ignoreResponseFormat || !seen.body.response_format ? loose(obj, seen.n) : JSON.stringify(obj),
  };
}

/** Writes a reply (not a hang) to the response. */
function sendReply(
  res: ServerResponse,
  r: Exclude<Reply, { hang: true } | { after: unknown }>,
  seen: SeenRequest,
): void {
  if ('content' in r) {
    const messages = (seen.body.messages as { content: string }[]) ?? [];
    const prompt = messages.reduce((s, m) => s + tokens(m.content), 0);
    const completion = tokens(r.content);
    send(res, 200, {
      id: `chatcmpl-${seen.n}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: String(seen.body.model),
      choices: [{ index: 0, message: { role: 'assistant', content: r.content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    });
  } else if ('raw' in r) {
    if (res.destroyed) return;
    res.writeHead(r.status, { 'content-type': r.contentType });
    res.end(r.raw);
  } else send(res, r.status, r.body ?? { error: { message: `status ${r.status}`, type: 'server_error' } }, r.headers);
}

/** Starts the server on an ephemeral port of 127.0.0.1. */
export async function startOpenAiServer(options: ServerOptions = {}): Promise<FakeOpenAi> {
  const state: FakeOpenAi = { baseUrl: '', log: [], inFlight: 0, peakInFlight: 0, close: async () => {} };
  const server = createServer((req, res) => {
    let done = false;
    state.inFlight++;
    state.peakInFlight = Math.max(state.peakInFlight, state.inFlight);
    res.on('close', () => {
      if (!done) (done = true), state.inFlight--;
    });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = readRequest(req, res, Buffer.concat(chunks), state.log.length + 1);
      if (!seen) return;
      state.log.push(seen);
      const r = chooseReply(options, seen);
      if ('hang' in r) return; // never answered; the client has to time out
      if ('after' in r) {
        void r.after.then(() => res.destroyed || sendReply(res, defaultReply(options, seen), seen));
        return;
      }
      const timer = setTimeout(() => sendReply(res, r, seen), (r.delayMs ?? 0) + (options.latencyMs ?? 0));
      // A reply nobody waits for any more (client aborted, server closed) must not keep the process alive.
      res.on('close', () => clearTimeout(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://127.0.0.1:${port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** A TCP server that accepts every connection and never answers; `connections` counts them. */
export async function startSilentServer(): Promise<{ baseUrl: string; connections: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const state = { baseUrl: '', connections: 0, close: async () => {} };
  const server = createTcpServer((sock) => {
    state.connections++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}

/** What `python3 -m http.server` sends for a POST (HTTP 501), as a reply. */
export const PLAIN_WEB_SERVER_501: Reply = {
  status: 501,
  contentType: 'text/html;charset=utf-8',
  raw:
    '<!DOCTYPE HTML><html><head><title>Error response</title></head><body><h1>Error response</h1>' +
    '<p>Error code: 501</p><p>Message: Unsupported method (&#x27;POST&#x27;).</p></body></html>',
};
