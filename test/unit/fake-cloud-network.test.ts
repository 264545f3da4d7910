import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeCloud, type FakeCloud } from '../../src/drivers/fake/index.js';
import {
  type CloudDrivers,
  CloudError,
  CloudNotFound,
  type Resource,
} from '../../src/drivers/types.js';

const creds = { userId: 'user-1', projectId: 'project-1' };
const wait = { timeout: 5 };
let cloud: FakeCloud;
let d: CloudDrivers;
let privateNet: Resource;
let publicNet: Resource;

beforeEach(async () => {
  cloud = createFakeCloud();
  d = cloud.drivers(creds);
  privateNet = (await d.network.findNetwork('private')) as Resource;
  publicNet = (await d.network.findNetwork('public')) as Resource;
});
afterEach(() => cloud.close());

function statusOf(error: unknown): number | undefined {
  return error instanceof CloudError ? error.status : undefined;
}

function ipsOf(port: Resource): string[] {
  return (port.fixed_ips as { ip_address: string }[]).map((f) => f.ip_address);
}

async function server(extra: Record<string, unknown> = {}): Promise<Resource> {
  const image = await d.compute.findImage('cirros');
  const created = await d.compute.createServer({
    name: 'srv',
    flavorRef: '1',
    imageRef: image?.id,
    ...extra,
  });
  return d.compute.waitForServer(created.id, 'ACTIVE', wait);
}

describe('fake Neutron networks', () => {
  it('has a private and an external public network with subnets', async () => {
    expect(privateNet['router:external']).toBe(false);
    expect(publicNet['router:external']).toBe(true);
    const subnet = await d.network.findSubnet('private-subnet');
    expect(subnet).toMatchObject({ cidr: '10.0.0.0/16', network_id: privateNet.id });
    expect((await d.network.findSubnet('public-subnet'))?.cidr).toBe('172.24.4.0/24');
    expect(await d.network.findNetwork(privateNet.id)).toMatchObject({ name: 'private' });
    expect(await d.network.findNetwork('nowhere')).toBeNull();
  });
});

describe('fake Neutron ports', () => {
  it('creates a DOWN port with an address from the subnet', async () => {
    const port = await d.network.createPort({ network_id: privateNet.id, name: 'p1' });
    expect(port.status).toBe('DOWN');
    expect(port.device_id).toBe('');
    expect(port.project_id).toBe('project-1');
    expect(ipsOf(port)[0]).toMatch(/^10\.0\.\d+\.\d+$/);
    expect(port.mac_address).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
  });

  it('gives every port a different address', async () => {
    const ips = new Set<string>();
    for (let i = 0; i < 20; i += 1)
      ips.add(ipsOf(await d.network.createPort({ network_id: privateNet.id }))[0] as string);
    expect(ips.size).toBe(20);
  });

  it('allocates a requested address and refuses it twice', async () => {
    const port = await d.network.createPort({
      network_id: privateNet.id,
      fixed_ips: [{ ip_address: '10.0.5.5' }],
    });
    expect(ipsOf(port)).toEqual(['10.0.5.5']);
    const error = await d.network
      .createPort({ network_id: privateNet.id, fixed_ips: [{ ip_address: '10.0.5.5' }] })
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(409);
  });

  it('refuses an address outside the subnet', async () => {
    const error = await d.network
      .createPort({ network_id: privateNet.id, fixed_ips: [{ ip_address: '192.168.9.9' }] })
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
  });

  it('reuses the address of a deleted port', async () => {
    const port = await d.network.createPort({
      network_id: privateNet.id,
      fixed_ips: [{ ip_address: '10.0.7.7' }],
    });
    await d.network.deletePort(port.id);
    const again = await d.network.createPort({
      network_id: privateNet.id,
      fixed_ips: [{ ip_address: '10.0.7.7' }],
    });
    expect(ipsOf(again)).toEqual(['10.0.7.7']);
  });

  it('refuses a port on an unknown network with 404', async () => {
    await expect(d.network.createPort({ network_id: 'nope' })).rejects.toBeInstanceOf(
      CloudNotFound,
    );
  });

  it('refuses an unknown vnic type', async () => {
    const error = await d.network
      .createPort({ network_id: privateNet.id, 'binding:vnic_type': 'warp' })
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
  });

  it('binds a given port to a server and makes it ACTIVE', async () => {
    const port = await d.network.createPort({ network_id: privateNet.id });
    const srv = await server({ networks: [{ port: port.id }] });
    const bound = await d.network.getPort(port.id);
    expect(bound).toMatchObject({
      status: 'ACTIVE',
      device_id: srv.id,
      device_owner: 'compute:nova',
    });
    expect(bound['binding:host_id']).toBe(srv['OS-EXT-SRV-ATTR:host']);
    const addresses = srv.addresses as Record<string, { addr: string }[]>;
    expect(addresses.private?.map((a) => a.addr)).toEqual(ipsOf(port));
  });

  it('refuses a port that another server uses', async () => {
    const port = await d.network.createPort({ network_id: privateNet.id });
    await server({ networks: [{ port: port.id }] });
    const error = await server({ networks: [{ port: port.id }] }).catch((e: unknown) => e);
    expect(statusOf(error)).toBe(409);
  });

  it('unbinds a given port when its server is deleted', async () => {
    const port = await d.network.createPort({ network_id: privateNet.id });
    const srv = await server({ networks: [{ port: port.id }] });
    await d.compute.deleteServer(srv.id);
    await d.compute.waitForServerDelete(srv.id, wait);
    expect(await d.network.getPort(port.id)).toMatchObject({ status: 'DOWN', device_id: '' });
  });

  it('deletes the ports Nova made when the server is deleted', async () => {
    const srv = await server();
    const [port] = await d.network.listPorts({ device_id: srv.id });
    expect(port?.status).toBe('ACTIVE');
    await d.compute.deleteServer(srv.id);
    await d.compute.waitForServerDelete(srv.id, wait);
    expect(await d.network.findPort(String(port?.id))).toBeNull();
  });

  it('makes a port on a network with a fixed address for a server', async () => {
    const srv = await server({ networks: [{ uuid: privateNet.id, fixed_ip: '10.0.9.9' }] });
    const addresses = srv.addresses as Record<string, { addr: string }[]>;
    expect(addresses.private?.[0]?.addr).toBe('10.0.9.9');
  });

  it('lists ports by network and by device', async () => {
    await d.network.createPort({ network_id: privateNet.id, name: 'a' });
    const srv = await server();
    expect((await d.network.listPorts({ network_id: privateNet.id })).length).toBe(2);
    expect((await d.network.listPorts({ device_id: srv.id })).length).toBe(1);
    expect((await d.network.listPorts({ name: 'a' })).length).toBe(1);
  });

  it('updates the name and security groups of a port', async () => {
    const port = await d.network.createPort({ network_id: privateNet.id });
    const sg = (await d.network.findSecurityGroup('default')) as Resource;
    const updated = await d.network.updatePort(port.id, {
      name: 'renamed',
      security_groups: [sg.id],
    });
    expect(updated).toMatchObject({ name: 'renamed', security_groups: [sg.id] });
  });

  it('refuses to update attributes that cannot change', async () => {
    const port = await d.network.createPort({ network_id: privateNet.id });
    const error = await d.network.updatePort(port.id, { network_id: 'x' }).catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
  });

  it('deletes a port and 404s afterwards', async () => {
    const port = await d.network.createPort({ network_id: privateNet.id });
    await d.network.deletePort(port.id);
    await expect(d.network.getPort(port.id)).rejects.toBeInstanceOf(CloudNotFound);
    await expect(d.network.deletePort(port.id)).rejects.toBeInstanceOf(CloudNotFound);
  });
});

describe('fake Neutron security groups', () => {
  it('gives each project its own default group', async () => {
    const mine = await d.network.findSecurityGroup('default');
    const theirs = await d.network.findSecurityGroup('default', 'project-2');
    expect(mine?.project_id).toBe('project-1');
    expect(theirs?.project_id).toBe('project-2');
    expect(mine?.id).not.toBe(theirs?.id);
    expect((await d.network.findSecurityGroup(String(mine?.id)))?.name).toBe('default');
  });

  it('returns null for an unknown group', async () => {
    expect(await d.network.findSecurityGroup('nosuch')).toBeNull();
  });

  it('puts new ports in the default group of the project', async () => {
    const port = await d.network.createPort({ network_id: privateNet.id });
    const sg = await d.network.findSecurityGroup('default');
    expect(port.security_groups).toEqual([sg?.id]);
  });
});

describe('fake Neutron floating IPs', () => {
  it('allocates a floating IP on the public network', async () => {
    const fip = await d.network.createFloatingIp({ floating_network_id: publicNet.id });
    expect(fip.floating_ip_address).toMatch(/^172\.24\.4\.\d+$/);
    expect(fip.status).toBe('DOWN');
    expect((await d.network.findFloatingIp(String(fip.floating_ip_address)))?.id).toBe(fip.id);
  });

  it('refuses a floating IP on a network that is not external', async () => {
    const error = await d.network
      .createFloatingIp({ floating_network_id: privateNet.id })
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
  });

  it('associates a floating IP with a server port and shows it in addresses', async () => {
    const srv = await server();
    const [port] = await d.network.listPorts({ device_id: srv.id });
    const fip = await d.network.createFloatingIp({
      floating_network_id: publicNet.id,
      port_id: port?.id,
    });
    expect(fip).toMatchObject({ status: 'ACTIVE', fixed_ip_address: ipsOf(port as Resource)[0] });
    const addresses = (await d.compute.getServer(srv.id)).addresses as Record<
      string,
      { addr: string; 'OS-EXT-IPS:type': string }[]
    >;
    expect(addresses.private?.map((a) => a['OS-EXT-IPS:type'])).toEqual(['fixed', 'floating']);
    expect(await d.network.listFloatingIps({ port_id: String(port?.id) })).toHaveLength(1);
  });

  it('disassociates and deletes a floating IP', async () => {
    const port = await d.network.createPort({ network_id: privateNet.id });
    const fip = await d.network.createFloatingIp({
      floating_network_id: publicNet.id,
      port_id: port.id,
    });
    const free = await d.network.updateFloatingIp(fip.id, { port_id: null });
    expect(free).toMatchObject({ status: 'DOWN', port_id: null });
    await d.network.deleteFloatingIp(fip.id);
    expect(await d.network.findFloatingIp(String(fip.floating_ip_address))).toBeNull();
  });

  it('disassociates a floating IP when its port is deleted', async () => {
    const port = await d.network.createPort({ network_id: privateNet.id });
    const fip = await d.network.createFloatingIp({
      floating_network_id: publicNet.id,
      port_id: port.id,
    });
    await d.network.deletePort(port.id);
    expect(await d.network.findFloatingIp(fip.id)).toMatchObject({ port_id: null, status: 'DOWN' });
  });

  it('runs out of public addresses after the pool is used', async () => {
    for (let i = 0; i < 253; i += 1)
      await d.network.createFloatingIp({ floating_network_id: publicNet.id });
    const error = await d.network
      .createFloatingIp({ floating_network_id: publicNet.id })
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(409);
  });
});

describe('fake Nova interfaces', () => {
  it('attaches an interface on a network and lists it', async () => {
    const srv = await server();
    const iface = await d.compute.createServerInterface(srv.id, { netId: privateNet.id });
    expect(iface.net_id).toBe(privateNet.id);
    expect((await d.compute.listServerInterfaces(srv.id)).map((i) => i.port_id)).toContain(
      iface.port_id,
    );
    await d.compute.deleteServerInterface(srv.id, String(iface.port_id));
    expect(await d.network.findPort(String(iface.port_id))).toBeNull();
  });

  it('detaching a given port keeps the port unbound', async () => {
    const srv = await server();
    const port = await d.network.createPort({ network_id: privateNet.id });
    await d.compute.createServerInterface(srv.id, { portId: port.id });
    expect((await d.network.getPort(port.id)).device_id).toBe(srv.id);
    await d.compute.deleteServerInterface(srv.id, port.id);
    expect(await d.network.getPort(port.id)).toMatchObject({ device_id: '', status: 'DOWN' });
  });

  it('refuses to detach a port the server does not have', async () => {
    const srv = await server();
    const port = await d.network.createPort({ network_id: privateNet.id });
    await expect(d.compute.deleteServerInterface(srv.id, port.id)).rejects.toBeInstanceOf(
      CloudNotFound,
    );
  });
});
