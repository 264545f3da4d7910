/**
 * One HTTP exchange with an OpenStack service over the global `fetch`: a timeout on every
 * attempt, the caller's AbortSignal, and retries with exponential backoff after a connection
 * failure or a 5xx answer (other than 501) for idempotent methods. A POST is retried only when
 * the connection was refused, that is when the service never saw it.
 */
import { CloudError } from '../types.js';

/** The subset of the global `fetch` the drivers use (a test may pass its own). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** How requests are sent. */
export interface HttpSettings {
  readonly fetch: FetchLike;
  /** Further attempts after a connection failure or a timeout of an attempt. */
  readonly connectRetries: number;
  /** Further attempts after a retryable 5xx answer. */
  readonly statusRetries: number;
  /** First pause between attempts in milliseconds; it doubles on every attempt. */
  readonly retryDelayMs: number;
  /** Longest pause between attempts in milliseconds. */
  readonly retryMaxDelayMs: number;
  /** Milliseconds before one attempt is abandoned. */
  readonly timeoutMs: number;
  /** Aborts every request when the backend closes. */
  readonly closed?: AbortSignal;
}

/** Options of one exchange. */
export interface SendOptions {
  /** Caller's signal: aborting rejects at once with its reason and is never retried. */
  readonly signal?: AbortSignal | undefined;
  /** Overrides `timeoutMs` of the settings. */
  readonly timeoutMs?: number | undefined;
  /** Treat the request as safe to repeat whatever its method (e.g. a token request). */
  readonly idempotent?: boolean;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** True for answers worth another attempt: 5xx except 501 Not Implemented. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 && status !== 501 && status <= 599;
}

function causeCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : '';
  return cause && cause !== error.message ? `${error.message}: ${cause}` : error.message;
}

/** A pause that ends early (rejecting with the reason) when the signal aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function retryAfterMs(response: Response, settings: HttpSettings): number | null {
  const header = response.headers.get('retry-after');
  if (!header) return null;
  const seconds = Number(header);
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  return Math.min(seconds * 1000, settings.retryMaxDelayMs);
}

function backoff(settings: HttpSettings, attempt: number): number {
  return Math.min(settings.retryDelayMs * 2 ** attempt, settings.retryMaxDelayMs);
}

/** Reads and drops a body so that its connection can be reused. */
export async function discardBody(response: Response): Promise<void> {
  try {
    await response.arrayBuffer();
  } catch {
    // the connection is closed anyway
  }
}

function combinedSignal(
  settings: HttpSettings,
  options: SendOptions,
): { signal: AbortSignal; timeout: AbortSignal } {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? settings.timeoutMs);
  const signals = [timeout];
  if (options.signal) signals.push(options.signal);
  if (settings.closed) signals.push(settings.closed);
  return { signal: AbortSignal.any(signals), timeout };
}

/** What ends a pause between attempts: the caller's signal or the closing backend. */
function waitSignal(settings: HttpSettings, options: SendOptions): AbortSignal | undefined {
  const signals = [options.signal, settings.closed].filter((s): s is AbortSignal => !!s);
  if (signals.length <= 1) return signals[0];
  return AbortSignal.any(signals);
}

/**
 * Sends `init` to `url` and returns the answer; 4xx and non-retryable 5xx answers are returned
 * too (the caller turns them into errors). Throws CloudError 503 when the service cannot be
 * reached, 504 when every attempt timed out, and the signal's reason when the caller aborts.
 */
export async function send(
  settings: HttpSettings,
  url: string,
  init: RequestInit,
  options: SendOptions = {},
): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const idempotent = options.idempotent ?? IDEMPOTENT.has(method);
  const what = `${method} ${url.replace(/\?.*$/, '')}`;
  let connectTries = 0;
  let statusTries = 0;
  for (let attempt = 0; ; attempt += 1) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (settings.closed?.aborted) throw new CloudError(503, 'The cloud backend is closed.');
    const { signal, timeout } = combinedSignal(settings, options);
    let response: Response;
    try {
      response = await settings.fetch(url, { ...init, signal });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (settings.closed?.aborted) throw new CloudError(503, 'The cloud backend is closed.');
      const timedOut = timeout.aborted;
      const refused = causeCode(error) === 'ECONNREFUSED';
      const retryable = idempotent || refused;
      if (!retryable || connectTries >= settings.connectRetries) {
        if (timedOut) throw new CloudError(504, `${what} timed out.`);
        throw new CloudError(503, `${what} failed: ${describe(error)}`);
      }
      connectTries += 1;
      await pause(backoff(settings, attempt), waitSignal(settings, options));
      continue;
    }
    if (!isRetryableStatus(response.status) || !idempotent) return response;
    if (statusTries >= settings.statusRetries) return response;
    statusTries += 1;
    const wait = retryAfterMs(response, settings) ?? backoff(settings, attempt);
    await discardBody(response);
    await pause(wait, waitSignal(settings, options));
  }
}
