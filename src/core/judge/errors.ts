/** What the judge's request failures mean, in our words. */
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { MalformedReplyError, preview } from './parse';

/**
 * Statuses that will not change on retry: a bad key (401/403), an unknown model or path (404),
 * a method or feature the server does not have (405, 501: `python3 -m http.server` answers
 * every POST with 501), a gone endpoint (410), an HTTP version it does not speak (505).
 */
export const FATAL_STATUS = new Set([401, 403, 404, 405, 410, 501, 505]);

const MEANING: Record<number, string> = {
  401: 'the key was refused',
  403: 'access refused',
  404: 'no such model or path (the base URL usually ends in /v1)',
  405: 'the server does not accept POST /chat/completions: not an OpenAI-compatible server',
  410: 'the endpoint is gone',
  501: 'the server does not implement POST /chat/completions: not an OpenAI-compatible server',
  505: 'the server does not speak this HTTP version',
};

/** What the server said in an error reply, on one short line (HTML pages reduced to their text). */
export function serverMessage(e: APIError): string {
  const body = e.error as { message?: unknown } | undefined;
  const raw = typeof body?.message === 'string' ? body.message : e.message.replace(/^\d{3}\s*/, '');
  const text = raw
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 160 ? `${text.slice(0, 160)}…` : text || `status ${e.status}`;
}

/** Why an answer that cannot improve on retry stops the run, naming the URL. */
export function fatalStatus(e: APIError, baseUrl: string): string {
  const s = e.status as number;
  return `${s} from ${baseUrl}: ${MEANING[s] ?? 'refused'} (${serverMessage(e)})`;
}

/** A reply that is not a chat completion at all (a web page, another API): retrying cannot help. */
export class NotChatCompletionError extends Error {}

/** The innermost `cause` of an error chain. */
function rootCause(e: unknown): (Error & { code?: string }) | undefined {
  let root: unknown = e;
  for (let i = 0; i < 10 && (root as { cause?: unknown })?.cause; i++) root = (root as { cause: unknown }).cause;
  return root === e ? undefined : (root as Error & { code?: string });
}

const TLS_MISMATCH = /wrong version number|packet length too long|SSL routines|ERR_SSL_/i;
const CERT = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

/** Why a connection to `baseUrl` failed, naming the URL; never a raw OpenSSL or socket message alone. */
export function connectionProblem(e: unknown, baseUrl: string): string {
  const root = rootCause(e);
  const code = root?.code ?? '';
  const msg = root?.message ?? '';
  const url = new URL(baseUrl);
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  if (TLS_MISMATCH.test(code) || TLS_MISMATCH.test(msg)) {
    const plain = url.protocol === 'https:' ? ` (try ${baseUrl.replace(/^https:/i, 'http:')})` : '';
    return `${baseUrl}: the TLS handshake failed; the port answers plain http, not https${plain}`;
  }
  if (CERT.test(code))
    return `${baseUrl}: the server's TLS certificate is not trusted (${code}); give its CA in NODE_EXTRA_CA_CERTS`;
  if (code === 'ECONNREFUSED') return `cannot reach ${baseUrl}: nothing listens at ${where} (connection refused)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot reach ${baseUrl}: host ${url.hostname} not found`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')
    return `cannot reach ${baseUrl}: the server at ${where} closed the connection`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `cannot reach ${baseUrl}: no route to ${where}`;
  return `cannot reach ${baseUrl}${msg ? ` (${msg})` : ''}`;
}

/** A failed attempt in a few words (for item errors and the status line). */
export function describe(e: unknown, baseUrl: string, timeoutMs: number): string {
  if (e instanceof MalformedReplyError) return `malformed reply: ${e.message}`;
  if (e instanceof APIConnectionTimeoutError) return `no reply within ${timeoutMs} ms (request timed out)`;
  if (e instanceof APIConnectionError) return connectionProblem(e, baseUrl);
  if (e instanceof APIError && typeof e.status === 'number') return `HTTP ${e.status}: ${serverMessage(e)}`;
  const m = e instanceof Error ? e.message : String(e);
  return m || preview(String(e));
}

/** The status of an HTTP error reply, if the error is one. */
export function httpStatus(e: unknown): number | undefined {
  return e instanceof APIError && typeof e.status === 'number' ? e.status : undefined;
}
