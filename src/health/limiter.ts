/** A counting semaphore bounding how many node checks run at once in a health manager. */

/** Bounds concurrent work to `size` slots. */
export class Limiter {
  readonly #size: number;
  #busy = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#size = Math.max(1, Math.floor(size));
  }

  /** Slots in use now. */
  get busy(): number {
    return this.#busy;
  }

  /** Runs `work` when a slot is free; the slot is freed when it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#busy >= this.#size) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#busy += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#busy -= 1;
    }
  }
}

/** Runs `work` over `items` with at most `parallel` at a time; resolves when all are done. */
export async function eachLimited<T>(
  items: readonly T[],
  parallel: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, parallel), items.length) }, worker));
}
