/**
 * The one place that decides which database errors are worth retrying (deadlocks,
 * serialisation failures, busy SQLite files, lost connections) and retries them with
 * exponential backoff.
 */
import { TransientDbError } from '../common/errors.js';
import type { Config } from '../config/options.js';

/** How often and how patiently to retry (intervals in seconds, as in senlin.conf). */
export interface RetryPolicy {
  /** Retries after the first attempt (`database_retry_limit`). */
  readonly limit: number;
  /** First pause (`database_retry_interval`); doubles after each retry. */
  readonly interval: number;
  /** Longest pause (`database_max_retry_interval`). */
  readonly maxInterval: number;
  /** Called before each pause, e.g. to log the error. */
  readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** Upstream's defaults: 10 retries, 0.3 s doubling up to 2 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  limit: 10,
  interval: 0.3,
  maxInterval: 2,
});

/** The retry policy of `[DEFAULT] database_retry_*`. */
export function retryPolicyFromConfig(config: Config): RetryPolicy {
  return {
    limit: config.DEFAULT.database_retry_limit,
    interval: config.DEFAULT.database_retry_interval,
    maxInterval: config.DEFAULT.database_max_retry_interval,
  };
}

/** PostgreSQL SQLSTATEs: serialization failure, deadlock, admin shutdown, lost connection. */
const PG_TRANSIENT = new Set(['40001', '40P01', '57P01', '08006', '08003']);
/** MySQL/MariaDB: deadlock (1213) and lock wait timeout (1205). */
const MYSQL_TRANSIENT_ERRNO = new Set([1213, 1205]);
const MYSQL_TRANSIENT_CODE = new Set([
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'PROTOCOL_CONNECTION_LOST',
]);
/** Socket errors of every driver. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE']);
/** Extra codes worth retrying while opening the first connection (server still starting). */
const CONNECT_CODES = new Set(['57P03', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

function fields(err: unknown): { code: unknown; errno: unknown; message: string } | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { code?: unknown; errno?: unknown; message?: unknown };
  return { code: e.code, errno: e.errno, message: typeof e.message === 'string' ? e.message : '' };
}

/**
 * True for errors that a retry may cure: SQLite `SQLITE_BUSY*`/`SQLITE_LOCKED*`; PostgreSQL
 * 40001, 40P01, 57P01, 08006, 08003 and "Connection terminated"; MySQL deadlock (1213), lock
 * wait timeout (1205) and lost connections; ECONNRESET/ECONNREFUSED/EPIPE on any driver.
 * A `TransientDbError` is not transient any more: its retries are already spent.
 */
export function isTransientDbError(err: unknown): boolean {
  if (err instanceof TransientDbError) return false;
  const f = fields(err);
  if (!f) return false;
  const { code, errno, message } = f;
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return true;
    if (PG_TRANSIENT.has(code) || MYSQL_TRANSIENT_CODE.has(code) || NETWORK_CODES.has(code)) {
      return true;
    }
  }
  if (typeof errno === 'number' && MYSQL_TRANSIENT_ERRNO.has(errno)) return true;
  return /Connection terminated/i.test(message);
}

/** True for errors that may go away while a database server is starting or reachable again. */
export function isConnectRetryable(err: unknown): boolean {
  if (isTransientDbError(err)) return true;
  const code = fields(err)?.code;
  return typeof code === 'string' && CONNECT_CODES.has(code);
}

/** Milliseconds to pause before retry number `attempt` (1-based). */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  const seconds = Math.min(policy.interval * 2 ** (attempt - 1), policy.maxInterval);
  return Math.max(0, Math.round(seconds * 1000));
}

/** A promise that resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs `fn`, retrying it while it fails with a transient error, at most `policy.limit` times,
 * pausing `interval` seconds, then twice as long each time up to `maxInterval`. Other errors
 * pass through untouched; when the retries are spent the last error is thrown wrapped in a
 * `TransientDbError` (its `cause`).
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransientDbError(err)) throw err;
      if (attempt > policy.limit) {
        const retries = policy.limit === 1 ? '1 retry' : `${policy.limit} retries`;
        throw new TransientDbError(
          `Database operation failed after ${retries}: ${describeError(err)}`,
          { cause: err },
        );
      }
      const delay = retryDelayMs(policy, attempt);
      policy.onRetry?.(err, attempt, delay);
      await sleep(delay);
    }
  }
}
