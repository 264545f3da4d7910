/**
 * The Keystone session and the error handling of the REST drivers against the real lab:
 * trust-scoped, token and password authentication, a revoked token, catalog regions,
 * microversions, pagination and the error messages of each service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenStackBackend } from '../../../src/drivers/openstack/backend.js';
import { COMPUTE_MICROVERSION } from '../../../src/drivers/openstack/compute-api.js';
import {
  type CloudDrivers,
  CloudError,
  CloudNotFound,
  type Resource,
} from '../../../src/drivers/types.js';
import { LAB, labBackend, labReachable, userContext, userSession } from './lab.js';

const reachable = await labReachable();
const NO_ID = '00000000-0000-4000-8000-000000000000';
let backend: OpenStackBackend;
let demo: { userId: string; projectId: string };
let demoDrivers: CloudDrivers;
let trust: Resource | null = null;

async function failure(promise: Promise<unknown>): Promise<CloudError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof CloudError))
    throw new Error(`expected a CloudError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  if (!reachable) return;
  backend = labBackend();
  const auth = await userSession('demo').auth();
  demo = { userId: auth.userId, projectId: String(auth.projectId) };
  demoDrivers = backend.drivers({ ...demo, context: userContext('demo') });
  trust = await demoDrivers.identity.createTrust({
    trustorUserId: demo.userId,
    trusteeUserId: await demoDrivers.identity.serviceUserId(),
    projectId: demo.projectId,
    roles: ['member'],
  });
});

afterAll(async () => {
  if (!reachable) return;
  if (trust) await demoDrivers.identity.deleteTrust(trust.id).catch(() => undefined);
  await backend.close();
});

describe.skipIf(!reachable)('the OpenStack session against the lab', () => {
  it('acts as the trustor in their project through a trust to the service user', async () => {
    const drivers = backend.drivers({ ...demo, trustId: trust?.id ?? '' });
    const net = await drivers.network.findNetwork(LAB.network);
    const port = await drivers.network.createPort({
      network_id: net?.id,
      name: 'senlin-ts-trust-port',
    });
    try {
      expect(port.project_id).toBe(demo.projectId);
    } finally {
      await drivers.network.deletePort(port.id);
    }
  });

  it('exchanges a token from the profile context for one scoped to the project', async () => {
    const token = (await userSession('demo').auth()).token;
    const drivers = backend.drivers({
      ...demo,
      context: { auth_token: token, project_id: demo.projectId },
    });
    const ports = await drivers.network.listPorts({ project_id: demo.projectId });
    expect(Array.isArray(ports)).toBe(true);
  });

  it('refuses a wrong service password with the message of Keystone', async () => {
    const drivers = backend.drivers({
      ...demo,
      context: { user_name: 'demo', password: 'wrong', project_name: 'demo' },
    });
    const error = await failure(drivers.compute.availabilityZones());
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/^Authentication failed: /);
  });

  it('authenticates again when Keystone revoked the token', async () => {
    const session = userSession('demo');
    const before = await session.auth();
    const admin = await userSession('admin').auth();
    const revoke = await fetch(`${LAB.keystone}/auth/tokens`, {
      method: 'DELETE',
      headers: { 'X-Auth-Token': admin.token, 'X-Subject-Token': before.token },
    });
    expect(revoke.status).toBe(204);
    const { body } = await session.request<{ flavors: unknown[] }>('compute', '/flavors');
    expect(body.flavors.length).toBeGreaterThan(0);
    expect((await session.auth()).token).not.toBe(before.token);
  });

  it('uses the endpoints of the region of the profile context', async () => {
    const drivers = backend.drivers({
      ...demo,
      trustId: trust?.id ?? '',
      context: { region_name: LAB.otherRegion },
    });
    expect((await drivers.compute.findFlavor(LAB.flavor))?.name).toBe(LAB.flavor);
    const nowhere = backend.drivers({
      ...demo,
      trustId: trust?.id ?? '',
      context: { region_name: 'Nowhere' },
    });
    const error = await failure(nowhere.compute.findFlavor(LAB.flavor));
    expect(error.message).toContain('in region Nowhere');
  });

  it('negotiates the compute microversion with Nova', async () => {
    const session = userSession('demo');
    const { headers } = await session.request('compute', '/flavors', {
      microversion: COMPUTE_MICROVERSION,
    });
    expect(headers.get('openstack-api-version')).toBe(`compute ${COMPUTE_MICROVERSION}`);
  });

  it('follows the pagination links of Nova and Neutron', async () => {
    const session = userSession('admin');
    const flavors = await session.list<Resource>('compute', '/flavors', 'flavors', {
      query: { limit: 1 },
    });
    const all = await session.list<Resource>('compute', '/flavors', 'flavors');
    expect(flavors.map((f) => f.id).sort()).toEqual(all.map((f) => f.id).sort());
    expect(all.length).toBeGreaterThan(1);
    const networks = await session.list<Resource>('network', '/v2.0/networks', 'networks', {
      query: { limit: 1 },
    });
    expect(networks.map((n) => n.name)).toEqual(
      expect.arrayContaining([LAB.network, LAB.externalNetwork]),
    );
  });
});

describe.skipIf(!reachable)('error messages of the lab services', () => {
  const member = (): CloudDrivers => backend.drivers({ ...demo, trustId: trust?.id ?? '' });

  it('passes on the 404 messages of Nova, Neutron, Glance, Cinder and Keystone', async () => {
    const d = member();
    const nova = await failure(d.compute.getServer(NO_ID));
    expect(nova).toBeInstanceOf(CloudNotFound);
    expect(nova.message).toBe(`Instance ${NO_ID} could not be found.`);
    const neutron = await failure(d.network.getPort(NO_ID));
    expect(neutron.message).toBe(`Port ${NO_ID} could not be found.`);
    const glance = await failure(d.image.getImage(NO_ID));
    expect(glance.status).toBe(404);
    expect(glance.message).toBe(`No image found with ID ${NO_ID}`);
    const cinder = await failure(d.blockStorage.getVolume(NO_ID));
    expect(cinder.message).toBe(`Volume ${NO_ID} could not be found.`);
    const keystone = await failure(d.identity.deleteTrust(NO_ID.replace(/-/g, '')));
    expect(keystone.status).toBe(404);
    expect(keystone.message).toContain('Could not find trust');
  });

  it('passes on the 400 messages of Nova and Neutron', async () => {
    const d = member();
    const net = await d.network.findNetwork(LAB.network);
    const nova = await failure(
      d.compute.createServer({
        name: 'senlin-ts-bad',
        flavorRef: (await d.compute.findFlavor(LAB.flavor))?.id,
        imageRef: NO_ID,
        networks: [{ uuid: net?.id }],
      }),
    );
    expect(nova.status).toBe(400);
    expect(nova.message).toBe('Can not find requested image');
    const neutron = await failure(d.network.createPort({ network_id: net?.id, bogus: 1 }));
    expect(neutron.status).toBe(400);
    expect(neutron.message).toContain('bogus');
  });
});
