/**
 * The Heat, Octavia, Zaqar and Docker scenarios of the driver contract (test/contract) against
 * the real OpenStack lab: the demo user gives senlin's service user a trust and the drivers act
 * through it, as they do for the nodes of a cluster. The container scenarios run against the
 * Docker daemon of LAB_DOCKER_URL with the image LAB_DOCKER_IMAGE (the lab's env.sh sets both);
 * without them they are skipped. test/contract/services-contract-fake.test.ts runs the same against the fake cloud.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import type { OpenStackBackend } from '../../../src/drivers/openstack/backend.js';
import type { CloudDrivers, Resource } from '../../../src/drivers/types.js';
import { type ServicesTarget, servicesContract } from '../../contract/services-contract.js';
import { labBackend, labReachable, userContext, userSession } from '../drivers/lab.js';

const reachable = await labReachable();
let backend: OpenStackBackend;
let target: ServicesTarget;
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
    // Heat makes its own trust from the trust token with every role of that token, implied
    // ones included (member implies reader): the trust must carry them all
    roles: ['member', 'reader'],
  });
  target = {
    drivers: backend.drivers({ ...member, trustId: trust.id }),
    subnet: 'private-subnet',
    dockerUrl: process.env.LAB_DOCKER_URL ?? null,
    dockerImage: process.env.LAB_DOCKER_IMAGE ?? 'busybox',
    wait: { timeout: 300, interval: 1 },
    prefix: 'senlin-ts-contract',
  };
});

afterAll(async () => {
  if (!reachable) return;
  if (trust) await demoDrivers.identity.deleteTrust(trust.id).catch(() => undefined);
  await backend.close();
});

describe.skipIf(!reachable)('Heat, Octavia, Zaqar and Docker contract on the OpenStack lab', () => {
  servicesContract(() => target);
});
