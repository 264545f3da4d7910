/** A bounded in-process cache whose entries each expire at their own time. */

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * Least-recently-used map with per-entry expiry (milliseconds since the epoch, compared with
 * the `now` passed in). Expired entries are dropped when they are met; when the map is full the
 * least recently used entry makes room.
 */
export class ExpiringLru<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #maxSize: number;

  constructor(maxSize: number) {
    this.#maxSize = Math.max(1, maxSize);
  }

  /** The value stored under `key` if it has not expired at `now`. */
  get(key: string, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    this.#entries.set(key, entry); // most recently used goes last
    return entry.value;
  }

  /** Stores `value` until `expiresAt`. */
  set(key: string, value: V, expiresAt: number): void {
    this.#entries.delete(key);
    while (this.#entries.size >= this.#maxSize) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAt });
  }

  /** Forgets one entry. */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Forgets everything. */
  clear(): void {
    this.#entries.clear();
  }

  /** Number of entries held, expired ones included until they are met. */
  get size(): number {
    return this.#entries.size;
  }
}
