import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import {
  createOpenStackBackend,
  type OpenStackBackend,
} from '../../src/drivers/openstack/backend.js';
import { serverCreateRequest } from '../../src/drivers/openstack/compute-servers.js';
import { portQuery } from '../../src/drivers/openstack/network.js';
import { CloudConflict, type CloudDrivers, CloudWaitFailed } from '../../src/drivers/types.js';
import { OpenStackStub, STUB_PROJECT } from '../support/openstack-stub.js';

let stub: OpenStackStub;
let backend: OpenStackBackend;
let d: CloudDrivers;

const C = '/compute/v2.1';

beforeEach(async () => {
  stub = await OpenStackStub.start();
  stub.keystone();
  stub.on('GET', `${C}/`, { body: { version: { version: '2.93' } } });
  backend = createOpenStackBackend(
    defaultConfig({
      DEFAULT: { cloud_backend: 'openstack' },
      authentication: { auth_url: `${stub.url}/identity/v3`, service_password: 'x' },
    }),
    { retryDelayMs: 1, retryMaxDelayMs: 2, waitIntervalMs: 2 },
  );
  d = backend.drivers({ userId: 'u', projectId: STUB_PROJECT, trustId: 't' });
});

afterEach(async () => {
  await backend.close();
  await stub.close();
});

describe('Nova servers through the REST driver', () => {
  it('moves scheduler hints out of the server and asks for automatic networks', () => {
    expect(
      serverCreateRequest({
        name: 's',
        flavorRef: '1',
        scheduler_hints: { group: 'g1' },
        key_name: undefined,
      }),
    ).toEqual({
      server: { name: 's', flavorRef: '1', networks: 'auto' },
      'os:scheduler_hints': { group: 'g1' },
    });
    expect(serverCreateRequest({ server: { name: 's', networks: [{ port: 'p' }] } })).toEqual({
      server: { name: 's', networks: [{ port: 'p' }] },
    });
  });

  it('creates a server and returns it as GET shows it, with the admin password', async () => {
    stub.on('POST', `${C}/servers`, {
      status: 202,
      body: { server: { id: 's1', adminPass: 'pw', links: [] } },
    });
    stub.on('GET', `${C}/servers/s1`, {
      body: { server: { id: 's1', name: 'n', status: 'BUILD', metadata: {} } },
    });
    const server = await d.compute.createServer({ name: 'n', flavorRef: '1', imageRef: 'i' });
    expect(server).toMatchObject({ id: 's1', status: 'BUILD', adminPass: 'pw' });
    expect(stub.calls(`${C}/servers`, 'POST')[0]?.body.server.networks).toBe('auto');
  });

  it('deletes normally when Nova refuses forceDelete of a server that is not soft-deleted', async () => {
    stub.on('POST', `${C}/servers/s1/action`, {
      status: 409,
      body: { conflictingRequest: { code: 409, message: "Cannot 'forceDelete' instance" } },
    });
    stub.on('DELETE', `${C}/servers/s1`, { status: 204 });
    await d.compute.deleteServer('s1', { force: true });
    expect(stub.calls(`${C}/servers/s1/action`)[0]?.body).toEqual({ forceDelete: null });
    expect(stub.calls(`${C}/servers/s1`, 'DELETE')).toHaveLength(1);
  });

  it('fails a wait for ACTIVE when the server goes to ERROR, with its fault', async () => {
    let reads = 0;
    stub.on('GET', `${C}/servers/s1`, () => ({
      body: {
        server:
          reads++ === 0
            ? { id: 's1', status: 'BUILD' }
            : { id: 's1', status: 'ERROR', fault: { message: 'No valid host was found.' } },
      },
    }));
    const error = await d.compute
      .waitForServer('s1', 'ACTIVE', { timeout: 5 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudWaitFailed);
    expect((error as Error).message).toBe(
      'Server s1 went to status ERROR: No valid host was found.',
    );
  });

  it('ends the wait for deletion at the 404 of the server', async () => {
    let reads = 0;
    stub.on('GET', `${C}/servers/s1`, () =>
      reads++ < 2
        ? { body: { server: { id: 's1', status: 'ACTIVE', 'OS-EXT-STS:task_state': 'deleting' } } }
        : { status: 404, body: { itemNotFound: { message: 'Instance s1 could not be found.' } } },
    );
    await d.compute.waitForServerDelete('s1', { timeout: 5 });
    expect(stub.calls(`${C}/servers/s1`, 'GET')).toHaveLength(3);
  });

  it('lists servers over every page and keeps those with the metadata', async () => {
    stub.on('GET', `${C}/servers/detail`, (req) =>
      req.query.get('marker') === null
        ? {
            body: {
              servers: [
                { id: 'a', metadata: { cluster_node_id: 'n1' } },
                { id: 'b', metadata: {} },
              ],
              servers_links: [{ rel: 'next', href: `${stub.url}${C}/servers/detail?marker=b` }],
            },
          }
        : { body: { servers: [{ id: 'c', metadata: { cluster_node_id: 'n1' } }] } },
    );
    const found = await d.compute.listServers({ metadata: { cluster_node_id: 'n1' } });
    expect(found.map((s) => s.id)).toEqual(['a', 'c']);
  });

  it('lists servers of another project for all tenants only', async () => {
    stub.on('GET', `${C}/servers/detail`, { body: { servers: [] } });
    await d.compute.listServers({ projectId: STUB_PROJECT, name: '^web' });
    await d.compute.listServers({ projectId: 'other' });
    const [own, other] = stub.calls(`${C}/servers/detail`).map((r) => Object.fromEntries(r.query));
    expect(own).toEqual({ name: '^web' });
    expect(other).toEqual({ all_tenants: '1', project_id: 'other' });
  });

  it('sends the action bodies Nova expects at 2.79', async () => {
    stub.on('POST', `${C}/servers/s1/action`, { status: 202 });
    await d.compute.serverAction('s1', 'stop');
    await d.compute.rebuildServer('s1', { image: 'img', name: 'new', adminPass: null });
    await d.compute.liveMigrateServer('s1', { host: null });
    await d.compute.evacuateServer('s1', { host: 'h2', force: true });
    await d.compute.resizeServer('s1', '2');
    await d.compute.confirmServerResize('s1');
    expect(stub.calls(`${C}/servers/s1/action`).map((r) => r.body)).toEqual([
      { 'os-stop': null },
      { rebuild: { imageRef: 'img', name: 'new' } },
      { 'os-migrateLive': { host: null, block_migration: 'auto' } },
      { evacuate: { host: 'h2' } },
      { resize: { flavorRef: '2' } },
      { confirmResize: null },
    ]);
  });

  it('returns the image id of a server snapshot', async () => {
    stub.on('POST', `${C}/servers/s1/action`, { status: 202, body: { image_id: 'img-9' } });
    expect(await d.compute.createServerImage('s1', 'snap')).toBe('img-9');
  });
});

describe('other Nova resources through the REST driver', () => {
  it('finds a flavor by name when no flavor has that id', async () => {
    stub.on('GET', `${C}/flavors/detail`, {
      body: {
        flavors: [
          { id: '1', name: 'm1.tiny' },
          { id: '2', name: 'm1.small' },
        ],
      },
    });
    expect((await d.compute.findFlavor('m1.small'))?.id).toBe('2');
    expect(stub.calls(`${C}/flavors/detail`)[0]?.query.get('is_public')).toBe('None');
    expect(await d.compute.findFlavor('m9.huge')).toBeNull();
  });

  it('refuses an ambiguous name', async () => {
    stub.on('GET', `${C}/os-server-groups`, {
      body: {
        server_groups: [
          { id: 'g1', name: 'g' },
          { id: 'g2', name: 'g' },
        ],
      },
    });
    await expect(d.compute.findServerGroup('g')).rejects.toBeInstanceOf(CloudConflict);
  });

  it('gives server groups both policy and policies', async () => {
    stub.on('POST', `${C}/os-server-groups`, {
      body: { server_group: { id: 'g1', name: 'g', policy: 'anti-affinity', members: [] } },
    });
    const group = await d.compute.createServerGroup('g', 'anti-affinity');
    expect(group).toMatchObject({ policy: 'anti-affinity', policies: ['anti-affinity'] });
    expect(stub.calls(`${C}/os-server-groups`, 'POST')[0]?.body).toEqual({
      server_group: { name: 'g', policy: 'anti-affinity' },
    });
  });

  it('reads no matching hypervisor as an empty list', async () => {
    stub.on('GET', `${C}/os-hypervisors/detail`, {
      status: 404,
      body: { itemNotFound: { message: 'No hypervisor matching nope could be found.' } },
    });
    expect(await d.compute.listHypervisors({ hostnamePattern: 'nope' })).toEqual([]);
  });

  it('forces a compute service down by its id', async () => {
    stub.on('PUT', `${C}/os-services/svc-1`, { body: { service: {} } });
    await d.compute.forceServiceDown('svc-1', 'h1', 'nova-compute');
    expect(stub.calls(`${C}/os-services/svc-1`)[0]?.body).toEqual({ forced_down: true });
  });

  it('gives interface attachments the port id as id', async () => {
    stub.on('GET', `${C}/servers/s1/os-interface`, {
      body: { interfaceAttachments: [{ port_id: 'p1', net_id: 'n1', port_state: 'ACTIVE' }] },
    });
    expect(await d.compute.listServerInterfaces('s1')).toEqual([
      { id: 'p1', port_id: 'p1', net_id: 'n1', port_state: 'ACTIVE' },
    ]);
  });

  it('reports availability zones with their state', async () => {
    stub.on('GET', `${C}/os-availability-zone`, {
      body: {
        availabilityZoneInfo: [
          { zoneName: 'nova', zoneState: { available: true }, hosts: null },
          { zoneName: 'az2', zoneState: { available: false }, hosts: null },
        ],
      },
    });
    expect(await d.compute.availabilityZones()).toEqual([
      { zoneName: 'nova', available: true },
      { zoneName: 'az2', available: false },
    ]);
  });
});

describe('Neutron, Glance, Cinder and Keystone through the REST drivers', () => {
  it('filters ports by fixed address the way Neutron takes it', async () => {
    expect(portQuery({ device_id: 'd', ip_address: '10.0.0.5', subnet_id: 's' })).toEqual({
      device_id: 'd',
      fixed_ips: ['ip_address=10.0.0.5', 'subnet_id=s'],
    });
    stub.on('GET', '/network/v2.0/ports', { body: { ports: [{ id: 'p1' }] } });
    await d.network.listPorts({ ip_address: '10.0.0.5' });
    expect(stub.calls('/network/v2.0/ports')[0]?.query.getAll('fixed_ips')).toEqual([
      'ip_address=10.0.0.5',
    ]);
  });

  it('finds a network by name after the id lookup misses', async () => {
    stub.on('GET', '/network/v2.0/networks/private', {
      status: 404,
      body: {
        NeutronError: { type: 'NetworkNotFound', message: 'Network private could not be found.' },
      },
    });
    stub.on('GET', '/network/v2.0/networks', {
      body: { networks: [{ id: 'n1', name: 'private' }] },
    });
    expect((await d.network.findNetwork('private'))?.id).toBe('n1');
  });

  it("prefers the caller's project for a security group name", async () => {
    stub.on('GET', '/network/v2.0/security-groups', {
      body: {
        security_groups: [
          { id: 'sg-other', name: 'default', project_id: 'other' },
          { id: 'sg-own', name: 'default', project_id: STUB_PROJECT },
        ],
      },
    });
    expect((await d.network.findSecurityGroup('default'))?.id).toBe('sg-own');
  });

  it('follows the relative next links of Glance and skips deleted images', async () => {
    stub.on('GET', '/image/v2/images/cirros', { status: 404, raw: '404 Not Found\n\nNo image' });
    stub.on('GET', '/image/v2/images', (req) =>
      req.query.get('marker') === null
        ? {
            body: {
              images: [{ id: 'i1', name: 'cirros', status: 'deleted' }],
              next: '/v2/images?name=cirros&marker=i1',
            },
          }
        : { body: { images: [{ id: 'i2', name: 'cirros', status: 'active' }] } },
    );
    expect((await d.image.findImage('cirros'))?.id).toBe('i2');
  });

  it('reaches Cinder under the project of the catalog endpoint', async () => {
    stub.on('GET', `/volume/v3/${STUB_PROJECT}/volumes/detail`, {
      body: {
        volumes: [
          { id: 'v1', metadata: { a: '1' } },
          { id: 'v2', metadata: {} },
        ],
      },
    });
    const found = await d.blockStorage.listVolumes({ metadata: { a: '1' } });
    expect(found.map((v) => v.id)).toEqual(['v1']);
    const query = stub.calls(`/volume/v3/${STUB_PROJECT}/volumes/detail`)[0]?.query;
    expect(query?.get('metadata')).toBe('{"a":"1"}');
  });

  it('fails a volume wait on error_extending', async () => {
    stub.on('GET', `/volume/v3/${STUB_PROJECT}/volumes/v1`, {
      body: { volume: { id: 'v1', status: 'error_extending' } },
    });
    await expect(
      d.blockStorage.waitForVolume('v1', 'available', { timeout: 5 }),
    ).rejects.toBeInstanceOf(CloudWaitFailed);
  });

  it('finds the trust of a trustor for a trustee and project', async () => {
    stub.on('GET', '/identity/v3/OS-TRUST/trusts', {
      body: {
        trusts: [
          { id: 't1', trustor_user_id: 'u1', trustee_user_id: 'x', project_id: 'p1' },
          { id: 't2', trustor_user_id: 'u1', trustee_user_id: 'senlin', project_id: 'p1' },
        ],
        links: { next: null },
      },
    });
    expect((await d.identity.findTrust('u1', 'senlin', 'p1'))?.id).toBe('t2');
    expect(await d.identity.findTrust('u1', 'senlin', 'p2')).toBeNull();
    expect(stub.calls('/identity/v3/OS-TRUST/trusts')[0]?.query.get('trustor_user_id')).toBe('u1');
  });

  it('creates trusts with impersonation and redelegation, and knows the service user', async () => {
    stub.on('POST', '/identity/v3/OS-TRUST/trusts', (req) => ({
      status: 201,
      body: { trust: { id: 't9', ...req.body.trust } },
    }));
    const trust = await d.identity.createTrust({
      trustorUserId: 'u1',
      trusteeUserId: 'senlin',
      projectId: 'p1',
      roles: ['member'],
    });
    expect(trust).toMatchObject({ id: 't9', impersonation: true, allow_redelegation: true });
    expect(trust.roles).toEqual([{ name: 'member' }]);
    expect(await d.identity.serviceUserId()).toBe('u-senlin');
  });
});
