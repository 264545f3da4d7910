/**
 * Event-driven waits of the fake cloud. A wait re-reads its resource when this process
 * changes it, when its next timed change is due, and (for a state file shared with other
 * processes) when another connection has written to the file; it never sleeps in a loop.
 */
import { CloudWaitFailed, type WaitOptions } from '../types.js';

const MAX_TIMER_MS = 2_147_483_647;

/** What a look at the resource found. */
export type ProbeResult<T> =
  | { readonly done: T }
  | { readonly fail: Error }
  /** Not there yet; the time (epoch ms) of the next timed change, or null. */
  | { readonly due: number | null; readonly current: string };

/** Wakes waits when resources change. */
export class WaitHub {
  private readonly listeners = new Map<string, Set<() => void>>();
  private count = 0;
  private poller: NodeJS.Timeout | null = null;

  /**
   * @param changedElsewhere tells whether another process changed the state (null: the state
   *   is private to this process and never changes behind its back).
   * @param pollMs period of that check.
   */
  constructor(
    private readonly changedElsewhere: (() => boolean) | null,
    private readonly pollMs: number,
  ) {}

  /** Calls `listener` whenever `key` may have changed; returns the unsubscribe function. */
  watch(key: string, listener: () => void): () => void {
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    this.count += 1;
    this.startPolling();
    return () => {
      const current = this.listeners.get(key);
      if (!current?.delete(listener)) return;
      if (current.size === 0) this.listeners.delete(key);
      this.count -= 1;
      if (this.count === 0) this.stopPolling();
    };
  }

  /** Tells the waits on `key` to look again. */
  notify(key: string): void {
    const set = this.listeners.get(key);
    if (!set) return;
    for (const listener of [...set]) listener();
  }

  /** Tells every wait to look again. */
  notifyAll(): void {
    for (const key of [...this.listeners.keys()]) this.notify(key);
  }

  private startPolling(): void {
    const check = this.changedElsewhere;
    if (!check || this.poller) return;
    this.poller = setInterval(() => {
      if (check()) this.notifyAll();
    }, this.pollMs);
  }

  private stopPolling(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
  }

  /** Stops the poller; pending waits stay until their timeout or abort. */
  close(): void {
    this.stopPolling();
  }
}

/**
 * Waits until `probe` reports done (resolve) or fail (reject), the timeout elapses (reject
 * with CloudWaitFailed) or the signal aborts (reject with its reason).
 */
export function waitFor<T>(
  hub: WaitHub,
  key: string,
  probe: () => ProbeResult<T>,
  options: WaitOptions,
  what: string,
): Promise<T> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const first = safeProbe(probe);
  if ('done' in first) return Promise.resolve(first.done);
  if ('fail' in first) return Promise.reject(first.fail);

  return new Promise<T>((resolve, reject) => {
    let dueTimer: NodeJS.Timeout | null = null;
    let last = first.current;
    const finish = (): void => {
      unwatch();
      clearTimeout(timeout);
      if (dueTimer) clearTimeout(dueTimer);
      signal?.removeEventListener('abort', onAbort);
    };
    const armDue = (due: number | null): void => {
      if (dueTimer) clearTimeout(dueTimer);
      dueTimer = null;
      if (due !== null) dueTimer = setTimeout(look, Math.max(0, due - Date.now()) + 1);
    };
    const look = (): void => {
      const result = safeProbe(probe);
      if ('done' in result) {
        finish();
        resolve(result.done);
      } else if ('fail' in result) {
        finish();
        reject(result.fail);
      } else {
        last = result.current;
        armDue(result.due);
      }
    };
    const onAbort = (): void => {
      finish();
      reject(signal?.reason);
    };
    const unwatch = hub.watch(key, look);
    const timeout = setTimeout(
      () => {
        finish();
        reject(
          new CloudWaitFailed(`Timed out after ${options.timeout}s waiting for ${what} (${last}).`),
        );
      },
      Math.min(Math.max(0, options.timeout) * 1000, MAX_TIMER_MS),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    armDue(first.due);
  });
}

function safeProbe<T>(probe: () => ProbeResult<T>): ProbeResult<T> {
  try {
    return probe();
  } catch (error) {
    return { fail: error instanceof Error ? error : new Error(String(error)) };
  }
}
