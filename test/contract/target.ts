/**
 * What a run of the driver contract needs from the cloud it runs against: drivers (an
 * ordinary project member's, an administrator's), the names of things the cloud already has,
 * and how long waits may take. The same scenarios run against the fake cloud (part of
 * `npm test`) and against the real OpenStack lab, so that the fake cannot drift from reality.
 */
import { type CloudDrivers, CloudError, type WaitOptions } from '../../src/drivers/types.js';

/** The cloud a contract run talks to. */
export interface ContractTarget {
  /** Drivers of an ordinary member of a project (through a trust on a real cloud). */
  readonly drivers: CloudDrivers;
  /** Drivers of an administrator (hypervisors, compute services). */
  readonly admin: CloudDrivers;
  /** An active image, a flavor it boots on, a bigger flavor to resize to. */
  readonly image: string;
  readonly flavor: string;
  readonly otherFlavor: string;
  /** A network the member may put ports on, and an external network with a router to it. */
  readonly network: string;
  readonly externalNetwork: string;
  /** Who makes trusts in the identity scenario: the trustor's drivers and ids. */
  readonly trust: {
    readonly trustorDrivers: CloudDrivers;
    readonly trustorUserId: string;
    readonly projectId: string;
    readonly roles: readonly string[];
  };
  /** A region the identity service knows. */
  readonly region: string;
  /** Waits of the scenarios. */
  readonly wait: WaitOptions;
  /** Prefix of the names of everything the scenarios make. */
  readonly prefix: string;
}

/** Gives the target to scenarios once the runner has set it up. */
export type TargetRef = () => ContractTarget;

/** Cleanup steps run in reverse order; what is already gone is fine. */
export class Cleanup {
  private readonly steps: (() => Promise<unknown>)[] = [];

  /** Adds a step (run last-in, first-out). */
  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  /** Runs every step; returns the failures other than 404s. */
  async run(): Promise<unknown[]> {
    const failures: unknown[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop();
      try {
        await step?.();
      } catch (error) {
        if (!(error instanceof CloudError && error.status === 404)) failures.push(error);
      }
    }
    return failures;
  }
}

/** A name unique to this run. */
export function uniqueName(target: ContractTarget, what: string): string {
  return `${target.prefix}-${what}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<CloudError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CloudError) return error;
    throw error;
  }
  throw new Error('The call was expected to fail but succeeded.');
}
