/**
 * The driver contract against the fake cloud: the same scenarios run against the real
 * OpenStack lab (test/openstack/drivers/contract.test.ts), so the fake cannot drift from it.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { createFakeCloud, type FakeCloud } from '../../src/drivers/fake/index.js';
import { type ContractTarget, driverContract } from '../contract/index.js';

let cloud: FakeCloud;
let target: ContractTarget;

beforeAll(async () => {
  cloud = createFakeCloud({ defaultDelay: 0 });
  const member = { userId: 'contract-user', projectId: 'contract-project' };
  const drivers = cloud.drivers(member);
  target = {
    drivers,
    admin: cloud.drivers({ userId: 'admin-user', projectId: 'admin-project' }),
    image: 'cirros',
    flavor: 'm1.tiny',
    otherFlavor: 'm1.small',
    network: 'private',
    externalNetwork: 'public',
    trust: {
      trustorDrivers: drivers,
      trustorUserId: member.userId,
      projectId: member.projectId,
      roles: ['member'],
    },
    region: 'RegionOne',
    wait: { timeout: 10, interval: 0.01 },
    prefix: 'contract',
  };
});

afterAll(async () => {
  await cloud.close();
});

describe('driver contract on the fake cloud', () => {
  driverContract(() => target);
});
