/** HTTP to Keystone: timeouts on every request, retries on connection failures and 5xx. */
import { ServiceUnavailable } from './errors.js';

/** The subset of the global `fetch` that the Keystone client uses (injectable in tests). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** How requests to Keystone are sent. */
export interface KeystoneHttp {
  fetch: FetchLike;
  /** Milliseconds before one attempt is abandoned. */
  timeoutMs: number;
  /** Further attempts after a connection failure, a timeout or a 5xx answer. */
  maxRetries: number;
  /** Waits between attempts (injectable in tests). */
  sleep: (ms: number) => Promise<void>;
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Keystone's base URL from an `auth_url` that may or may not end in `/v3` (or `/v2.0`). */
export function identityBase(authUrl: string): string {
  return authUrl.replace(/\/+$/, '').replace(/\/v(3|2\.0)$/, '');
}

/** Reads and discards a body so that the connection can be reused. */
export async function discardBody(response: Response): Promise<void> {
  try {
    await response.arrayBuffer();
  } catch {
    // the connection is closed anyway
  }
}

function backoff(attempt: number): number {
  return Math.min(100 * 2 ** attempt, 2000);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.name}: ${error.message}${cause}`;
  }
  return String(error);
}

/**
 * Sends one request to Keystone and returns its answer when the status is below 500. A
 * connection failure, a timeout or a 5xx answer is retried `maxRetries` times with a short,
 * growing pause; when every attempt failed, `ServiceUnavailable` is thrown.
 */
export async function keystoneRequest(
  http: KeystoneHttp,
  url: string,
  init: RequestInit,
): Promise<Response> {
  const what = `${init.method ?? 'GET'} ${url.replace(/\?.*$/, '')}`;
  let failure = '';
  let cause: unknown;
  for (let attempt = 0; attempt <= http.maxRetries; attempt++) {
    if (attempt > 0) await http.sleep(backoff(attempt - 1));
    try {
      const response = await http.fetch(url, {
        ...init,
        signal: AbortSignal.timeout(http.timeoutMs),
      });
      if (response.status < 500) return response;
      await discardBody(response);
      failure = `Keystone answered ${response.status} to ${what}`;
      cause = undefined;
    } catch (error) {
      failure = `Keystone could not be reached for ${what} (${describe(error)})`;
      cause = error;
    }
  }
  throw new ServiceUnavailable(`${failure} after ${http.maxRetries + 1} attempt(s)`, { cause });
}
