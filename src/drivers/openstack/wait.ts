/**
 * The one poller behind every "wait until ACTIVE / available / deleted" of the OpenStack
 * drivers: reads the resource every interval until its status is one of `until`, fails at once
 * on a status of `failOn`, on the timeout, and rejects as soon as the signal aborts.
 */
import { CloudNotFound, CloudWaitFailed, type WaitOptions } from '../types.js';
import { pause } from './http.js';

/** Options of a wait for a status. */
export interface WaitStatusOptions<T> {
  /** Statuses that end the wait successfully (compared without regard to case). */
  until: readonly string[];
  /** Statuses that end the wait with CloudWaitFailed. */
  failOn?: readonly string[];
  timeoutMs: number;
  /** Milliseconds between reads (default 2000). */
  intervalMs?: number;
  signal?: AbortSignal;
  /** What is waited for, in messages (e.g. `Server 1234`). */
  what: string;
  /** A read that throws CloudNotFound ends the wait successfully, with null. */
  notFoundIsDone?: boolean;
  /** Why a resource is in a failure status (e.g. a server's fault message). */
  reasonOf?: (resource: T) => string | null;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function matches(list: readonly string[] | undefined, status: string): boolean {
  const s = status.toLowerCase();
  return (list ?? []).some((entry) => entry.toLowerCase() === s);
}

/** Polls `read` until `statusOf` says one of `until` (see WaitStatusOptions). */
export function waitForStatus<T>(
  read: () => Promise<T>,
  statusOf: (resource: T) => string,
  options: WaitStatusOptions<T> & { notFoundIsDone: true },
): Promise<T | null>;
export function waitForStatus<T>(
  read: () => Promise<T>,
  statusOf: (resource: T) => string,
  options: WaitStatusOptions<T>,
): Promise<T>;
export async function waitForStatus<T>(
  read: () => Promise<T>,
  statusOf: (resource: T) => string,
  options: WaitStatusOptions<T>,
): Promise<T | null> {
  const { signal, what } = options;
  const interval = Math.max(1, options.intervalMs ?? 2000);
  const deadline = Date.now() + Math.max(0, options.timeoutMs);
  let last = 'unknown';
  for (;;) {
    if (signal?.aborted) throw signal.reason;
    let resource: T;
    try {
      resource = await abortable(read(), signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (options.notFoundIsDone && error instanceof CloudNotFound) return null;
      throw error;
    }
    const status = statusOf(resource);
    last = status;
    if (matches(options.until, status)) return resource;
    if (matches(options.failOn, status)) {
      const reason = options.reasonOf?.(resource)?.replace(/\.+$/, '');
      throw new CloudWaitFailed(`${what} went to status ${status}${reason ? `: ${reason}` : ''}.`);
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const seconds = Math.round(options.timeoutMs / 100) / 10;
      throw new CloudWaitFailed(
        `Timed out after ${seconds}s waiting for ${what} to be ${options.until.join(' or ')} (status ${last}).`,
      );
    }
    await pause(Math.min(interval, left), signal);
  }
}

/** Timeout and interval of a driver wait: the caller's, else the driver defaults. */
export function waitTiming(
  wait: WaitOptions,
  defaults: { timeoutSeconds: number; intervalMs: number },
): { timeoutMs: number; intervalMs: number; signal?: AbortSignal } {
  const timeout = wait.timeout > 0 ? wait.timeout : defaults.timeoutSeconds;
  const asked = wait.interval !== undefined && wait.interval > 0 ? wait.interval * 1000 : null;
  const intervalMs = asked === null ? defaults.intervalMs : Math.min(asked, defaults.intervalMs);
  return wait.signal
    ? { timeoutMs: timeout * 1000, intervalMs, signal: wait.signal }
    : { timeoutMs: timeout * 1000, intervalMs };
}
