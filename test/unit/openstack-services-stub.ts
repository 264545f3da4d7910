/**
 * A Keystone session against the OpenStack stub with a catalog that has Heat, Octavia and Zaqar,
 * for the unit tests of those REST drivers.
 */
import type { OpenStackDriverOptions } from '../../src/drivers/openstack/options.js';
import { KeystoneSession } from '../../src/drivers/openstack/session.js';
import { OpenStackStub, STUB_PROJECT } from '../support/openstack-stub.js';

/** Driver settings of the unit tests: fast polls, short waits. */
export const FAST_OPTIONS: OpenStackDriverOptions = {
  region: 'RegionOne',
  interface: 'public',
  novaTimeout: 5,
  actionTimeout: 5,
  waitIntervalMs: 10,
  requestTimeoutMs: 5000,
};

/** A stub answering tokens whose catalog lists Heat (/heat), Octavia (/octavia), Zaqar (/zaqar). */
export async function servicesStub(): Promise<{ stub: OpenStackStub; session: KeystoneSession }> {
  const stub = await OpenStackStub.start();
  const ep = (url: string) => ({
    url,
    interface: 'public',
    region: 'RegionOne',
    region_id: 'RegionOne',
  });
  stub.on('POST', '/identity/v3/auth/tokens', () => ({
    status: 201,
    headers: { 'X-Subject-Token': 'tok-services' },
    body: {
      token: {
        user: { id: 'u-1' },
        project: { id: STUB_PROJECT },
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        catalog: [
          { type: 'orchestration', endpoints: [ep(`${stub.url}/heat/v1/${STUB_PROJECT}`)] },
          { type: 'load-balancer', endpoints: [ep(`${stub.url}/octavia`)] },
          { type: 'messaging', endpoints: [ep(`${stub.url}/zaqar`)] },
        ],
      },
    },
  }));
  const session = new KeystoneSession({
    http: {
      fetch: (url, init) => fetch(url, init),
      connectRetries: 0,
      statusRetries: 0,
      retryDelayMs: 1,
      retryMaxDelayMs: 1,
      timeoutMs: 5000,
    },
    method: {
      authUrl: `${stub.url}/identity/v3`,
      identity: { kind: 'password', username: 'senlin', password: 'pw', userDomain: 'Default' },
      scope: { projectName: 'service', projectDomain: 'Default' },
    },
    interface: 'public',
    region: 'RegionOne',
  });
  return { stub, session };
}
