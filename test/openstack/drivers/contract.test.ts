/**
 * The driver contract (test/contract) against the real OpenStack lab: an ordinary member
 * (demo) gives senlin's service user a trust, and the drivers act through it, as they do for
 * nodes of a cluster. The same scenarios run against the fake cloud in test/unit.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import type { OpenStackBackend } from '../../../src/drivers/openstack/backend.js';
import type { CloudDrivers, Resource } from '../../../src/drivers/types.js';
import { type ContractTarget, driverContract } from '../../contract/index.js';
import { LAB, labBackend, labReachable, userContext, userSession } from './lab.js';

const reachable = await labReachable();
let backend: OpenStackBackend;
let target: ContractTarget;
let demoDrivers: CloudDrivers;
let trust: Resource | null = null;

beforeAll(async () => {
  if (!reachable) return;
  backend = labBackend();
  const demo = await userSession('demo').auth();
  const member = { userId: demo.userId, projectId: String(demo.projectId) };
  demoDrivers = backend.drivers({ ...member, context: userContext('demo') });
  trust = await demoDrivers.identity.createTrust({
    trustorUserId: member.userId,
    trusteeUserId: await demoDrivers.identity.serviceUserId(),
    projectId: member.projectId,
    roles: ['member'],
  });
  target = {
    drivers: backend.drivers({ ...member, trustId: trust.id }),
    admin: backend.drivers({ userId: 'admin', projectId: 'admin', context: userContext('admin') }),
    image: LAB.image,
    flavor: LAB.flavor,
    otherFlavor: LAB.otherFlavor,
    network: LAB.network,
    externalNetwork: LAB.externalNetwork,
    trust: {
      trustorDrivers: demoDrivers,
      trustorUserId: member.userId,
      projectId: member.projectId,
      roles: ['member'],
    },
    region: LAB.region,
    wait: { timeout: 240, interval: 1 },
    prefix: 'senlin-ts-contract',
  };
});

afterAll(async () => {
  if (!reachable) return;
  if (trust) await demoDrivers.identity.deleteTrust(trust.id).catch(() => undefined);
  await backend.close();
});

describe.skipIf(!reachable)('driver contract on the OpenStack lab', () => {
  driverContract(() => target);
});
