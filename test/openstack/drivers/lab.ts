/**
 * The OpenStack lab as the driver tests see it: its Keystone, users and the things it already
 * has (see /work/shared/lab/REPORT-cloud.md). Settings may be overridden with the lab's own
 * variables (LAB_KEYSTONE_URL, LAB_SENLIN_PASS, LAB_DEMO_PASS, LAB_ADMIN_PASS, LAB_REGION).
 */
import { defaultConfig } from '../../../src/config/load.js';
import {
  createOpenStackBackend,
  type OpenStackBackend,
} from '../../../src/drivers/openstack/backend.js';
import type { HttpSettings } from '../../../src/drivers/openstack/http.js';
import { KeystoneSession } from '../../../src/drivers/openstack/session.js';

const env = process.env;

/** Lab settings. */
export const LAB = {
  keystone: env.LAB_KEYSTONE_URL ?? 'http://127.0.0.1:5000/v3',
  region: env.LAB_REGION ?? 'RegionOne',
  otherRegion: env.LAB_REGION2 ?? 'RegionTwo',
  senlinPassword: env.LAB_SENLIN_PASS ?? 'senlinpass',
  demoPassword: env.LAB_DEMO_PASS ?? 'demopass',
  adminPassword: env.LAB_ADMIN_PASS ?? 'adminpass',
  image: 'cirros-fake',
  flavor: 'm1.tiny',
  otherFlavor: 'm1.small',
  network: 'private',
  externalNetwork: 'public',
} as const;

/** True when the lab's Keystone answers. */
export async function labReachable(): Promise<boolean> {
  try {
    const response = await fetch(LAB.keystone, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** The backend senlin-ts would build for the lab. */
export function labBackend(): OpenStackBackend {
  const config = defaultConfig({
    DEFAULT: { cloud_backend: 'openstack', default_region_name: LAB.region },
    authentication: {
      auth_url: LAB.keystone,
      service_username: 'senlin',
      service_password: LAB.senlinPassword,
      service_project_name: 'service',
    },
  });
  return createOpenStackBackend(config, { waitIntervalMs: 1_000 });
}

/** The profile context that makes drivers act as a lab user with their password. */
export function userContext(user: 'demo' | 'admin'): Record<string, string> {
  return {
    user_name: user,
    password: user === 'demo' ? LAB.demoPassword : LAB.adminPassword,
    project_name: user,
  };
}

/** Plain HTTP settings for sessions made directly in tests. */
export function labHttp(): HttpSettings {
  return {
    fetch: (url, init) => fetch(url, init),
    connectRetries: 2,
    statusRetries: 2,
    retryDelayMs: 200,
    retryMaxDelayMs: 2_000,
    timeoutMs: 60_000,
  };
}

/** A session of a lab user in their own project. */
export function userSession(
  user: 'demo' | 'admin' | 'senlin',
  region: string = LAB.region,
): KeystoneSession {
  const password =
    user === 'demo' ? LAB.demoPassword : user === 'admin' ? LAB.adminPassword : LAB.senlinPassword;
  return new KeystoneSession({
    http: labHttp(),
    method: {
      authUrl: LAB.keystone,
      identity: { kind: 'password', username: user, password, userDomain: 'Default' },
      scope: { projectName: user === 'senlin' ? 'service' : user, projectDomain: 'Default' },
    },
    interface: 'public',
    region,
  });
}
