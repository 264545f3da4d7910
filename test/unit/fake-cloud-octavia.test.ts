import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeCloud, type FakeCloud } from '../../src/drivers/fake/index.js';
import {
  type CloudDrivers,
  CloudError,
  CloudNotFound,
  CloudWaitFailed,
  type Resource,
} from '../../src/drivers/types.js';

const creds = { userId: 'user-1', projectId: 'project-1' };
const wait = { timeout: 5 };
let cloud: FakeCloud;
let d: CloudDrivers;
let subnet: Resource;

beforeEach(async () => {
  cloud = createFakeCloud();
  d = cloud.drivers(creds);
  subnet = (await d.network.findSubnet('private-subnet')) as Resource;
});
afterEach(() => cloud.close());

function statusOf(error: unknown): number | undefined {
  return error instanceof CloudError ? error.status : undefined;
}

async function lb(extra: Record<string, unknown> = {}): Promise<Resource> {
  const created = await d.loadBalancer.createLoadBalancer({
    name: 'lb1',
    vip_subnet_id: subnet.id,
    ...extra,
  });
  return d.loadBalancer.waitForLoadBalancer(created.id, 'ACTIVE', wait);
}

async function ready(lbId: string): Promise<void> {
  await d.loadBalancer.waitForLoadBalancer(lbId, 'ACTIVE', wait);
}

/** A load balancer with a listener, a pool and (optionally) a health monitor. */
async function stack(monitor: boolean): Promise<{ lb: Resource; pool: Resource }> {
  const balancer = await lb();
  const listener = await d.loadBalancer.createListener({
    loadbalancer_id: balancer.id,
    protocol: 'HTTP',
    protocol_port: 80,
  });
  await ready(balancer.id);
  const pool = await d.loadBalancer.createPool({
    listener_id: listener.id,
    protocol: 'HTTP',
    lb_algorithm: 'ROUND_ROBIN',
  });
  await ready(balancer.id);
  if (monitor) {
    await d.loadBalancer.createHealthMonitor({
      pool_id: pool.id,
      type: 'HTTP',
      delay: 10,
      timeout: 5,
      max_retries: 3,
    });
    await ready(balancer.id);
  }
  return { lb: balancer, pool };
}

async function server(): Promise<Resource> {
  const image = await d.compute.findImage('cirros');
  const created = await d.compute.createServer({ name: 'm', flavorRef: '1', imageRef: image?.id });
  return d.compute.waitForServer(created.id, 'ACTIVE', wait);
}

function addressOf(srv: Resource): string {
  return String((srv.addresses as Record<string, { addr: string }[]>).private?.[0]?.addr);
}

describe('fake Octavia load balancers', () => {
  it('creates a load balancer: PENDING_CREATE, then ACTIVE and ONLINE', async () => {
    const created = await d.loadBalancer.createLoadBalancer({
      name: 'lb1',
      vip_subnet_id: subnet.id,
    });
    expect(created).toMatchObject({
      provisioning_status: 'PENDING_CREATE',
      operating_status: 'OFFLINE',
    });
    const active = await d.loadBalancer.waitForLoadBalancer(created.id, 'ACTIVE', wait);
    expect(active).toMatchObject({ operating_status: 'ONLINE', project_id: 'project-1' });
    expect(active.vip_address).toMatch(/^10\.0\.\d+\.\d+$/);
    expect((await d.network.getPort(String(active.vip_port_id))).device_owner).toBe('Octavia');
  });

  it('takes the VIP from a network and honours a requested address', async () => {
    const net = (await d.network.findNetwork('private')) as Resource;
    const balancer = await lb({
      vip_subnet_id: undefined,
      vip_network_id: net.id,
      vip_address: '10.0.200.1',
    });
    expect(balancer).toMatchObject({ vip_address: '10.0.200.1', vip_subnet_id: subnet.id });
  });

  it('finds a load balancer by name and by id', async () => {
    const balancer = await lb();
    expect((await d.loadBalancer.findLoadBalancer('lb1'))?.id).toBe(balancer.id);
    expect((await d.loadBalancer.getLoadBalancer(balancer.id)).name).toBe('lb1');
    expect(await d.loadBalancer.findLoadBalancer('lb9')).toBeNull();
  });

  const refusals: [string, Record<string, unknown>][] = [
    ['a request without VIP', { vip_subnet_id: undefined }],
    ['an unknown subnet', { vip_subnet_id: 'nope' }],
    ['an unknown flavor', { flavor_id: 'nope' }],
    ['a disabled flavor', { flavor_id: 'lb.retired' }],
    ['an unknown availability zone', { availability_zone: 'ZONE9' }],
  ];
  for (const [what, extra] of refusals) {
    it(`refuses ${what}`, async () => {
      expect(statusOf(await lb(extra).catch((e: unknown) => e))).toBe(400);
    });
  }

  it('knows its flavors and availability zones', async () => {
    expect((await d.loadBalancer.findFlavor('lb.small'))?.enabled).toBe(true);
    expect(await d.loadBalancer.findFlavor('lb.huge')).toBeNull();
    expect((await d.loadBalancer.findAvailabilityZone('ZONE1'))?.name).toBe('ZONE1');
    expect(await d.loadBalancer.findAvailabilityZone('ZONE9')).toBeNull();
    expect(
      (await lb({ flavor_id: 'lb.small', availability_zone: 'ZONE2' })).availability_zone,
    ).toBe('ZONE2');
  });

  it('goes to ERROR with a simulated_fail=create tag', async () => {
    const created = await d.loadBalancer.createLoadBalancer({
      vip_subnet_id: subnet.id,
      tags: ['simulated_fail=create'],
    });
    await expect(
      d.loadBalancer.waitForLoadBalancer(created.id, 'ACTIVE', wait),
    ).rejects.toBeInstanceOf(CloudWaitFailed);
  });
});

describe('fake Octavia children', () => {
  it('refuses changes while the load balancer is not ACTIVE', async () => {
    const created = await d.loadBalancer.createLoadBalancer({
      vip_subnet_id: subnet.id,
      tags: ['simulated_wait_time=5'],
    });
    const error = await d.loadBalancer
      .createListener({ loadbalancer_id: created.id, protocol: 'HTTP', protocol_port: 80 })
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(409);
    expect(String(error)).toContain('is immutable');
  });

  it('puts the load balancer in PENDING_UPDATE while a child is made', async () => {
    const balancer = await lb();
    cloud.defaultDelay = 0.05;
    const listener = await d.loadBalancer.createListener({
      loadbalancer_id: balancer.id,
      protocol: 'TCP',
      protocol_port: 22,
    });
    expect((await d.loadBalancer.getLoadBalancer(balancer.id)).provisioning_status).toBe(
      'PENDING_UPDATE',
    );
    await ready(balancer.id);
    expect((await d.loadBalancer.getListener(listener.id)).provisioning_status).toBe('ACTIVE');
  });

  it('builds listener, pool, monitor and shows their links', async () => {
    const { lb: balancer, pool } = await stack(true);
    const shown = await d.loadBalancer.getLoadBalancer(balancer.id);
    expect((shown.listeners as unknown[]).length).toBe(1);
    expect((shown.pools as unknown[]).length).toBe(1);
    const poolShown = await d.loadBalancer.getPool(pool.id);
    expect(poolShown.healthmonitor_id).toEqual(expect.any(String));
    const monitor = await d.loadBalancer.getHealthMonitor(String(poolShown.healthmonitor_id));
    expect(monitor).toMatchObject({
      type: 'HTTP',
      http_method: 'GET',
      url_path: '/',
      expected_codes: '200',
    });
  });

  it('refuses a second listener on the same port and a second default pool', async () => {
    const { lb: balancer, pool } = await stack(false);
    const listenerError = await d.loadBalancer
      .createListener({ loadbalancer_id: balancer.id, protocol: 'HTTP', protocol_port: 80 })
      .catch((e: unknown) => e);
    expect(statusOf(listenerError)).toBe(409);
    const listenerId = (pool.listeners as { id: string }[])[0]?.id;
    const poolError = await d.loadBalancer
      .createPool({ listener_id: listenerId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' })
      .catch((e: unknown) => e);
    expect(statusOf(poolError)).toBe(409);
  });

  it('refuses an unknown lb_algorithm', async () => {
    const balancer = await lb();
    const error = await d.loadBalancer
      .createPool({ loadbalancer_id: balancer.id, protocol: 'HTTP', lb_algorithm: 'RANDOM' })
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
  });

  it('adds, lists and removes members', async () => {
    const { lb: balancer, pool } = await stack(false);
    const srv = await server();
    const member = await d.loadBalancer.createMember(pool.id, {
      name: 'm1',
      address: addressOf(srv),
      protocol_port: 80,
      subnet_id: subnet.id,
    });
    await ready(balancer.id);
    expect((await d.loadBalancer.listMembers(pool.id)).map((m) => m.id)).toEqual([member.id]);
    expect((await d.loadBalancer.getMember(pool.id, member.id)).operating_status).toBe(
      'NO_MONITOR',
    );
    await d.loadBalancer.deleteMember(pool.id, member.id);
    await ready(balancer.id);
    expect(await d.loadBalancer.listMembers(pool.id)).toEqual([]);
  });

  it('refuses a duplicate member', async () => {
    const { lb: balancer, pool } = await stack(false);
    await d.loadBalancer.createMember(pool.id, { address: '10.0.3.3', protocol_port: 80 });
    await ready(balancer.id);
    const error = await d.loadBalancer
      .createMember(pool.id, { address: '10.0.3.3', protocol_port: 80 })
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(409);
  });

  it('reports member health from the state of the server behind it', async () => {
    const { lb: balancer, pool } = await stack(true);
    const srv = await server();
    const member = await d.loadBalancer.createMember(pool.id, {
      address: addressOf(srv),
      protocol_port: 80,
    });
    await ready(balancer.id);
    expect((await d.loadBalancer.getMember(pool.id, member.id)).operating_status).toBe('ONLINE');
    await d.compute.serverAction(srv.id, 'stop');
    await d.compute.waitForServer(srv.id, 'SHUTOFF', wait);
    expect((await d.loadBalancer.getMember(pool.id, member.id)).operating_status).toBe('ERROR');
  });

  it('deletes a pool with its members and monitor', async () => {
    const { lb: balancer, pool } = await stack(true);
    await d.loadBalancer.createMember(pool.id, { address: '10.0.3.4', protocol_port: 80 });
    await ready(balancer.id);
    await d.loadBalancer.deletePool(pool.id);
    await ready(balancer.id);
    await expect(d.loadBalancer.getPool(pool.id)).rejects.toBeInstanceOf(CloudNotFound);
    expect((await d.loadBalancer.getLoadBalancer(balancer.id)).pools).toEqual([]);
    expect(cloud.listAll('member')).toEqual([]);
    expect(cloud.listAll('healthmonitor')).toEqual([]);
  });
});

describe('fake Octavia deletion', () => {
  it('refuses to delete a load balancer with children unless cascading', async () => {
    const { lb: balancer } = await stack(true);
    expect(
      statusOf(await d.loadBalancer.deleteLoadBalancer(balancer.id).catch((e: unknown) => e)),
    ).toBe(400);
    await d.loadBalancer.deleteLoadBalancer(balancer.id, { cascade: true });
    await d.loadBalancer.waitForLoadBalancerDelete(balancer.id, wait);
    expect(await d.loadBalancer.findLoadBalancer(balancer.id)).toBeNull();
    expect(cloud.listAll('listener')).toEqual([]);
    expect(await d.network.findPort(String(balancer.vip_port_id))).toBeNull();
  });

  it('deletes the children one by one, then the load balancer', async () => {
    const { lb: balancer, pool } = await stack(true);
    const shown = await d.loadBalancer.getPool(pool.id);
    await d.loadBalancer.deleteHealthMonitor(String(shown.healthmonitor_id));
    await ready(balancer.id);
    await d.loadBalancer.deletePool(pool.id);
    await ready(balancer.id);
    await d.loadBalancer.deleteListener(String((shown.listeners as { id: string }[])[0]?.id));
    await ready(balancer.id);
    await d.loadBalancer.deleteLoadBalancer(balancer.id);
    await d.loadBalancer.waitForLoadBalancerDelete(balancer.id, wait);
    await expect(d.loadBalancer.getLoadBalancer(balancer.id)).rejects.toBeInstanceOf(CloudNotFound);
  });

  it('fails the delete wait with a simulated_fail=delete tag', async () => {
    const balancer = await lb({ tags: ['simulated_fail=delete'] });
    await d.loadBalancer.deleteLoadBalancer(balancer.id);
    await expect(
      d.loadBalancer.waitForLoadBalancerDelete(balancer.id, wait),
    ).rejects.toBeInstanceOf(CloudWaitFailed);
  });

  it('lets a test break a load balancer', async () => {
    const balancer = await lb();
    cloud.setLoadBalancerStatus(balancer.id, 'ERROR', 'OFFLINE');
    expect(await d.loadBalancer.getLoadBalancer(balancer.id)).toMatchObject({
      provisioning_status: 'ERROR',
      operating_status: 'OFFLINE',
    });
    expect(cloud.listAllLoadBalancers()).toHaveLength(1);
  });
});
