/**
 * The Heat, Octavia, Zaqar and Docker scenarios of the driver contract against the fake cloud;
 * test/openstack/contract/services-contract.test.ts runs the same ones against the real lab.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { createFakeCloud, type FakeCloud } from '../../src/drivers/fake/index.js';
import { type ServicesTarget, servicesContract } from './services-contract.js';

let cloud: FakeCloud;
let target: ServicesTarget;

beforeAll(() => {
  cloud = createFakeCloud({ defaultDelay: 0 });
  target = {
    drivers: cloud.drivers({ userId: 'contract-user', projectId: 'contract-project' }),
    subnet: 'private-subnet',
    dockerUrl: 'tcp://127.0.0.1:2375',
    dockerImage: 'busybox',
    wait: { timeout: 10, interval: 0.01 },
    prefix: 'contract',
  };
});

afterAll(async () => {
  await cloud.close();
});

describe('Heat, Octavia, Zaqar and Docker contract on the fake cloud', () => {
  servicesContract(() => target);
});
