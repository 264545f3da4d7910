/**
 * Programmatic failure injection: a test registers a fault for one driver call, and the next
 * matching calls reject with the given error instead of running.
 */
import { CloudError } from '../types.js';

/** The driver groups of `CloudDrivers` (`container` for the Docker clients). */
export type FakeService =
  | 'compute'
  | 'network'
  | 'image'
  | 'blockStorage'
  | 'orchestration'
  | 'loadBalancer'
  | 'identity'
  | 'message'
  | 'container';

/** A fault to inject. */
export interface FaultSpec {
  service: FakeService;
  /** Method name of the driver, e.g. `createServer`. */
  call: string;
  /** What the call rejects with (default: `CloudError(500, 'Injected fault in <service>.<call>.')`). */
  error?: Error;
  /** How many calls fail (default: every call until removed). */
  times?: number;
  /**
   * Only calls whose arguments satisfy this fail. Container calls get the daemon URL as
   * an extra first argument.
   */
  match?: (args: readonly unknown[]) => boolean;
}

/** A registered fault. */
export interface FaultHandle {
  /** Calls that failed because of this fault so far. */
  readonly hits: number;
  /** Calls this fault may still fail (Infinity: no limit). */
  readonly remaining: number;
  remove(): void;
}

interface Entry {
  spec: FaultSpec;
  hits: number;
  remaining: number;
}

/** The faults registered on one fake cloud (they apply to this process only). */
export class FaultRegistry {
  private entries: Entry[] = [];

  /** Registers a fault; the most recent matching fault wins. */
  add(spec: FaultSpec): FaultHandle {
    const entry: Entry = { spec, hits: 0, remaining: spec.times ?? Number.POSITIVE_INFINITY };
    this.entries.push(entry);
    const registry = this;
    return {
      get hits() {
        return entry.hits;
      },
      get remaining() {
        return entry.remaining;
      },
      remove() {
        registry.entries = registry.entries.filter((e) => e !== entry);
      },
    };
  }

  /** Removes every fault. */
  clear(): void {
    this.entries = [];
  }

  /** Number of registered faults that may still fire. */
  get size(): number {
    return this.entries.filter((e) => e.remaining > 0).length;
  }

  /** The error a call must fail with, or null (consumes one use of the fault). */
  take(service: FakeService, call: string, args: readonly unknown[]): Error | null {
    for (let i = this.entries.length - 1; i >= 0; i -= 1) {
      const entry = this.entries[i];
      if (!entry || entry.remaining <= 0) continue;
      const { spec } = entry;
      if (spec.service !== service || spec.call !== call) continue;
      if (spec.match && !spec.match(args)) continue;
      entry.remaining -= 1;
      entry.hits += 1;
      if (entry.remaining <= 0) this.entries.splice(i, 1);
      return spec.error ?? new CloudError(500, `Injected fault in ${service}.${call}.`);
    }
    return null;
  }
}

/**
 * Wraps every method of a driver so that registered faults fire before the call runs.
 * `prefix` arguments (the daemon URL of container drivers) are shown to `match` first.
 */
export function withFaults<T extends object>(
  faults: FaultRegistry,
  service: FakeService,
  driver: T,
  prefix: readonly unknown[] = [],
): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(driver)) {
    if (typeof value !== 'function') {
      wrapped[name] = value;
      continue;
    }
    const method = value as (...args: unknown[]) => unknown;
    wrapped[name] = async (...args: unknown[]): Promise<unknown> => {
      const error = faults.take(service, name, [...prefix, ...args]);
      if (error) throw error;
      return await method.apply(driver, args);
    };
  }
  return wrapped as T;
}
