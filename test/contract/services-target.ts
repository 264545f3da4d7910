/**
 * What the Heat, Octavia, Zaqar and Docker scenarios of the driver contract need from the cloud
 * they run against. The fake cloud (test/contract/services-contract-fake.test.ts, part of
 * `npm test`) and the real OpenStack lab (test/openstack/contract/, `npm run test:openstack`)
 * run the same scenarios.
 */
import type { CloudDrivers, WaitOptions } from '../../src/drivers/types.js';

/** The cloud a run of these scenarios talks to. */
export interface ServicesTarget {
  /** Drivers of an ordinary member of a project (through a trust on a real cloud). */
  readonly drivers: CloudDrivers;
  /** A subnet (name) the member may put load balancers and members on. */
  readonly subnet: string;
  /** Docker daemon to run the container scenarios against (null: none, they are skipped). */
  readonly dockerUrl: string | null;
  /** An image that daemon has (the container scenarios do not pull). */
  readonly dockerImage: string;
  /** Waits of the scenarios. */
  readonly wait: WaitOptions;
  /** Prefix of the names of everything the scenarios make. */
  readonly prefix: string;
}

/** Gives the target to the scenarios once the runner has set it up. */
export type ServicesTargetRef = () => ServicesTarget;

/** A name unique to this run, made of letters, digits and dashes (Heat, Zaqar and Docker take it). */
export function serviceName(target: ServicesTarget, what: string): string {
  return `${target.prefix}-${what}-${Math.random().toString(36).slice(2, 8)}`;
}
