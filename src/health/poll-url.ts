/**
 * NODE_STATUS_POLL_URL: an HTTP(S) GET of a per-node URL whose answer must contain the healthy
 * pattern. Each attempt is bounded in time (upstream's `max(retry_interval × 0.1, 1)` seconds
 * for the whole request) and in size (`[DEFAULT] max_response_size`), so a slow, hanging or
 * chatty endpoint only ever costs its own node's check.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import type { DetectionMode } from './check-plan.js';
import type { Verdict } from './verdict.js';
import { healthy, unhealthy } from './verdict.js';

/** What one GET gave: the body of a successful answer, or why there is none. */
export type FetchResult =
  | { readonly ok: true; readonly status: number; readonly body: string }
  | { readonly ok: false; readonly error: string };

/** Limits of one GET. */
export interface FetchLimits {
  readonly sslVerify: boolean;
  /** Seconds for the whole request (connection, answer and body). */
  readonly timeoutSeconds: number;
  /** Largest body read, in bytes. */
  readonly maxBytes: number;
  readonly signal: AbortSignal;
}

const MAX_REDIRECTS = 3;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * GETs `url` and reads its body. Statuses of 400 and above are failures (as with upstream's
 * `raise_for_status`); redirects are followed (three at most). Never throws.
 */
export function fetchText(url: string, limits: FetchLimits): Promise<FetchResult> {
  const deadline = Date.now() + limits.timeoutSeconds * 1000;
  return get(url, limits, deadline, MAX_REDIRECTS);
}

function get(
  url: string,
  limits: FetchLimits,
  deadline: number,
  redirects: number,
): Promise<FetchResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve({ ok: false, error: `Invalid URL: ${url}` });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return Promise.resolve({ ok: false, error: `Invalid URL scheme ${target.protocol}` });
  }
  if (limits.signal.aborted) return Promise.resolve({ ok: false, error: 'Polling was stopped.' });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: FetchResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      limits.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = () => {
      req.destroy();
      finish({ ok: false, error: 'Polling was stopped.' });
    };
    const options: RequestOptions = {
      method: 'GET',
      agent: false,
      headers: { accept: '*/*', 'user-agent': 'senlin-ts-health-manager' },
      ...(target.protocol === 'https:' ? { rejectUnauthorized: limits.sslVerify } : {}),
    };
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(target, options, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location && redirects > 0) {
        res.resume();
        clearTimeout(timer);
        limits.signal.removeEventListener('abort', onAbort);
        settled = true;
        resolve(get(new URL(location, target).toString(), limits, deadline, redirects - 1));
        return;
      }
      if (status >= 400) {
        res.resume();
        finish({ ok: false, error: `HTTP ${status} from ${target.origin}${target.pathname}` });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) {
          req.destroy();
          finish({
            ok: false,
            error: `Data exceeds maximum allowed size (${limits.maxBytes} bytes)`,
          });
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => finish({ ok: true, status, body: Buffer.concat(chunks).toString() }));
      res.on('error', (err) => finish({ ok: false, error: errorText(err) }));
    });
    const timer = setTimeout(
      () => {
        req.destroy();
        finish({ ok: false, error: `No answer within ${limits.timeoutSeconds} s` });
      },
      Math.max(0, deadline - Date.now()),
    );
    limits.signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => finish({ ok: false, error: errorText(err) }));
    req.end();
  });
}

/** The verdict of one answer (or failure) of the poll URL. */
export function judgeAnswer(mode: DetectionMode, result: FetchResult): Verdict {
  if (!result.ok) {
    return mode.connErrorAsUnhealthy
      ? unhealthy(`polling ${mode.pollUrl} failed: ${result.error}`)
      : healthy(`polling failed but connection errors are ignored: ${result.error}`);
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(mode.healthyResponse);
  } catch {
    return healthy(`the healthy response pattern ${mode.healthyResponse} is not valid`, true);
  }
  if (pattern.test(result.body)) return healthy('the poll URL answered as expected');
  return unhealthy(
    `the poll URL answer did not contain the expected response '${mode.healthyResponse}'`,
  );
}

/**
 * Polls `url` for a node: up to `poll_url_retry_limit` attempts, `poll_url_retry_interval`
 * seconds apart, while the answer is unhealthy; the last verdict counts.
 */
export async function pollUrl(
  mode: DetectionMode,
  url: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Verdict> {
  const timeoutSeconds = Math.max(mode.retryInterval * 0.1, 1);
  let verdict: Verdict = unhealthy('the poll URL was not polled');
  for (let attempt = 1; attempt <= mode.retryLimit; attempt++) {
    if (signal.aborted) return healthy('polling was stopped', true);
    const result = await fetchText(url, {
      sslVerify: mode.sslVerify,
      timeoutSeconds,
      maxBytes,
      signal,
    });
    verdict = judgeAnswer(mode, result);
    if (verdict.healthy || attempt === mode.retryLimit) break;
    try {
      await delay(mode.retryInterval * 1000, undefined, { signal });
    } catch {
      return healthy('polling was stopped', true);
    }
  }
  return verdict;
}
