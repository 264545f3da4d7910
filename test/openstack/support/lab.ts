/**
 * The OpenStack lab as the tests see it (test/openstack/lab/env.sh): where Keystone and
 * senlin-ts answer, the accounts, and the drivers of senlin-ts over a Keystone session of one of
 * those accounts, used to check the real services directly.
 */
import { createBlockStorageDriver } from '../../../src/drivers/openstack/block-storage.js';
import { createComputeDriver } from '../../../src/drivers/openstack/compute.js';
import { createContainerDriver } from '../../../src/drivers/openstack/container.js';
import { createIdentityDriver } from '../../../src/drivers/openstack/identity.js';
import { createImageDriver } from '../../../src/drivers/openstack/image.js';
import { createLoadBalancerDriver } from '../../../src/drivers/openstack/load-balancer.js';
import { createMessageDriver } from '../../../src/drivers/openstack/message.js';
import { createNetworkDriver } from '../../../src/drivers/openstack/network.js';
import type { OpenStackDriverOptions } from '../../../src/drivers/openstack/options.js';
import { createOrchestrationDriver } from '../../../src/drivers/openstack/orchestration.js';
import { KeystoneSession } from '../../../src/drivers/openstack/session.js';
import type { CloudDrivers } from '../../../src/drivers/types.js';

const env = process.env;

/** Keystone v3 of the lab. */
export const KEYSTONE_URL = env.LAB_KEYSTONE_URL ?? 'http://127.0.0.1:5000/v3';
/** senlin-ts under test (started by test/openstack/run.sh). */
export const SENLIN_URL = env.SENLIN_URL ?? 'http://127.0.0.1:8777';
/** The lab's main region and the second one with the same services. */
export const REGION = env.LAB_REGION ?? 'RegionOne';
export const REGION2 = env.LAB_REGION2 ?? 'RegionTwo';
/** Availability zones of the lab (one fake compute host each). */
export const ZONES = (env.LAB_ZONES ?? 'lab-az1 lab-az2').split(/\s+/).filter(Boolean);

/** An account of the lab. */
export interface LabAccount {
  readonly user: string;
  readonly password: string;
  readonly project: string;
}

/** The lab's accounts: the admin, the demo user (a plain member) and senlin-ts's service user. */
export const ACCOUNTS = {
  admin: { user: 'admin', password: env.LAB_ADMIN_PASS ?? 'adminpass', project: 'admin' },
  demo: { user: 'demo', password: env.LAB_DEMO_PASS ?? 'demopass', project: 'demo' },
  senlin: { user: 'senlin', password: env.LAB_SENLIN_PASS ?? 'senlinpass', project: 'service' },
} as const satisfies Record<string, LabAccount>;

/** Driver settings of the tests: short polls, waits long enough for the fake hypervisors. */
export const DRIVER_OPTIONS: OpenStackDriverOptions = {
  region: REGION,
  interface: 'public',
  novaTimeout: 300,
  actionTimeout: 600,
  waitIntervalMs: 1000,
  requestTimeoutMs: 60_000,
};

/** A Keystone session of an account, scoped to its project. */
export function labSession(account: LabAccount, region: string = REGION): KeystoneSession {
  return new KeystoneSession({
    http: {
      fetch: (url, init) => fetch(url, init),
      connectRetries: 2,
      statusRetries: 2,
      retryDelayMs: 500,
      retryMaxDelayMs: 5000,
      timeoutMs: 60_000,
    },
    method: {
      authUrl: KEYSTONE_URL,
      identity: {
        kind: 'password',
        username: account.user,
        password: account.password,
        userDomain: 'Default',
      },
      scope: { projectName: account.project, projectDomain: 'Default' },
    },
    interface: 'public',
    region,
  });
}

/** senlin-ts's drivers over a session of `account`. */
export function labDrivers(account: LabAccount, region: string = REGION): CloudDrivers {
  const session = labSession(account, region);
  const options = { ...DRIVER_OPTIONS, region };
  return {
    compute: createComputeDriver(session, options),
    network: createNetworkDriver(session, options),
    image: createImageDriver(session, options),
    blockStorage: createBlockStorageDriver(session, options),
    orchestration: createOrchestrationDriver(session, options),
    loadBalancer: createLoadBalancerDriver(session, options),
    identity: createIdentityDriver(session, options, {
      serviceSession: labSession(ACCOUNTS.senlin),
    }),
    message: createMessageDriver(session, options),
    container: (url) => createContainerDriver(url, options),
  };
}

/** A token of `account` (scoped to its project) with its user and project ids. */
export async function issueToken(
  account: LabAccount,
): Promise<{ token: string; userId: string; projectId: string }> {
  const auth = await labSession(account).auth();
  return { token: auth.token, userId: auth.userId, projectId: auth.projectId ?? '' };
}

/** True when the lab's Keystone answers (the suite is skipped otherwise). */
export async function labAvailable(): Promise<boolean> {
  try {
    const res = await fetch(KEYSTONE_URL, { signal: AbortSignal.timeout(3000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** A name unique to this run, for resources the tests make. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}
