import { describe, expect, it } from 'vitest';
import { TransientDbError } from '../../src/common/errors.js';
import {
  DEFAULT_RETRY_POLICY,
  isTransientDbError,
  type RetryPolicy,
  retryDelayMs,
  withRetry,
} from '../../src/db/retry.js';

function dbError(props: Record<string, unknown>, message = 'boom'): Error {
  return Object.assign(new Error(message), props);
}

const FAST: RetryPolicy = { limit: 3, interval: 0.001, maxInterval: 0.002 };

describe('isTransientDbError', () => {
  it.each([
    ['SQLITE_BUSY', { code: 'SQLITE_BUSY' }],
    ['SQLITE_BUSY_SNAPSHOT', { code: 'SQLITE_BUSY_SNAPSHOT' }],
    ['SQLITE_LOCKED', { code: 'SQLITE_LOCKED' }],
    ['PostgreSQL serialization failure', { code: '40001' }],
    ['PostgreSQL deadlock', { code: '40P01' }],
    ['PostgreSQL admin shutdown', { code: '57P01' }],
    ['PostgreSQL connection failure', { code: '08006' }],
    ['PostgreSQL connection does not exist', { code: '08003' }],
    ['MySQL deadlock by code', { code: 'ER_LOCK_DEADLOCK' }],
    ['MySQL deadlock by errno', { errno: 1213 }],
    ['MySQL lock wait timeout', { code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 }],
    ['MySQL lost connection', { code: 'PROTOCOL_CONNECTION_LOST' }],
    ['connection reset', { code: 'ECONNRESET' }],
    ['connection refused', { code: 'ECONNREFUSED' }],
    ['broken pipe', { code: 'EPIPE' }],
  ])('says yes to %s', (_label, props) => {
    expect(isTransientDbError(dbError(props))).toBe(true);
  });

  it('says yes to a terminated PostgreSQL connection', () => {
    expect(isTransientDbError(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it.each([
    ['a unique violation', { code: '23505' }],
    ['a MySQL duplicate key', { code: 'ER_DUP_ENTRY', errno: 1062 }],
    ['an SQLite constraint error', { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }],
    ['a syntax error', { code: '42601' }],
  ])('says no to %s', (_label, props) => {
    expect(isTransientDbError(dbError(props))).toBe(false);
  });

  it('says no to values that are not errors', () => {
    expect(isTransientDbError(null)).toBe(false);
    expect(isTransientDbError('SQLITE_BUSY')).toBe(false);
  });

  it('says no to an already exhausted TransientDbError', () => {
    expect(isTransientDbError(new TransientDbError('spent', { cause: { code: '40P01' } }))).toBe(
      false,
    );
  });
});

describe('retryDelayMs', () => {
  it('doubles from the interval up to the maximum', () => {
    const delays = [1, 2, 3, 4, 5].map((n) => retryDelayMs(DEFAULT_RETRY_POLICY, n));
    expect(delays).toEqual([300, 600, 1200, 2000, 2000]);
  });
});

describe('withRetry', () => {
  it('returns the result of a first successful attempt', async () => {
    await expect(withRetry(async () => 42, FAST)).resolves.toBe(42);
  });

  it('retries transient errors until the operation succeeds', async () => {
    let calls = 0;
    const result = await withRetry(async () => {
      calls++;
      if (calls < 3) throw dbError({ code: '40P01' });
      return 'done';
    }, FAST);
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('passes other errors through untouched at the first attempt', async () => {
    const err = dbError({ code: '23505' });
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw err;
      }, FAST),
    ).rejects.toBe(err);
    expect(calls).toBe(1);
  });

  it('gives up after the retry limit with a TransientDbError caused by the last error', async () => {
    let calls = 0;
    const last = dbError({ code: 'ER_LOCK_DEADLOCK', errno: 1213 }, 'Deadlock found');
    const failure = await withRetry(async () => {
      calls++;
      throw calls === 4 ? last : dbError({ code: 'ER_LOCK_DEADLOCK' });
    }, FAST).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(failure).toBeInstanceOf(TransientDbError);
    expect((failure as TransientDbError).cause).toBe(last);
    expect((failure as Error).message).toMatch(/after 3 retries: Deadlock found/);
  });

  it('does not retry at all with a limit of 0', async () => {
    let calls = 0;
    const failure = await withRetry(
      async () => {
        calls++;
        throw dbError({ code: 'SQLITE_BUSY' });
      },
      { ...FAST, limit: 0 },
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(failure).toBeInstanceOf(TransientDbError);
  });

  it('reports each retry with its growing delay', async () => {
    const seen: [number, number][] = [];
    let calls = 0;
    await withRetry(
      async () => {
        if (++calls <= 3) throw dbError({ code: '40001' });
        return null;
      },
      { limit: 5, interval: 0.001, maxInterval: 0.003, onRetry: (_e, n, ms) => seen.push([n, ms]) },
    );
    expect(seen).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });
});
