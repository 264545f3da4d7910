/** The Octavia part of the driver contract: a load balancer built up and torn down step by step. */
import { afterEach, expect, it } from 'vitest';
import { CloudNotFound, type LoadBalancerDriver } from '../../src/drivers/types.js';
import { type ServicesTarget, type ServicesTargetRef, serviceName } from './services-target.js';
import { Cleanup } from './target.js';

async function settle(t: ServicesTarget, octavia: LoadBalancerDriver, lbId: string) {
  return octavia.waitForLoadBalancer(lbId, 'ACTIVE', t.wait);
}

/** Registers the Octavia scenarios. */
export function loadBalancerScenarios(target: ServicesTargetRef): void {
  let cleanup = new Cleanup();
  afterEach(async () => {
    const failures = await cleanup.run();
    cleanup = new Cleanup();
    expect(failures).toEqual([]);
  });

  it('builds a load balancer with listener, pool, members and monitor, then removes them', async () => {
    const t = target();
    const octavia = t.drivers.loadBalancer;
    const subnet = await t.drivers.network.findSubnet(t.subnet);
    expect(subnet).not.toBeNull();
    const name = serviceName(t, 'lb');
    const lb = await octavia.createLoadBalancer({ name, vip_subnet_id: subnet?.id });
    cleanup.add(async () => {
      await octavia.deleteLoadBalancer(lb.id, { cascade: true });
      await octavia.waitForLoadBalancerDelete(lb.id, t.wait);
    });
    const active = await settle(t, octavia, lb.id);
    expect(active.name).toBe(name);
    expect(active.vip_address).toBeTruthy();
    expect((await octavia.findLoadBalancer(name))?.id).toBe(lb.id);
    expect((await octavia.findLoadBalancer(lb.id))?.name).toBe(name);

    const listener = await octavia.createListener({
      name: `${name}-listener`,
      loadbalancer_id: lb.id,
      protocol: 'HTTP',
      protocol_port: 80,
    });
    await settle(t, octavia, lb.id);
    const pool = await octavia.createPool({
      name: `${name}-pool`,
      listener_id: listener.id,
      protocol: 'HTTP',
      lb_algorithm: 'ROUND_ROBIN',
    });
    await settle(t, octavia, lb.id);
    // two members asked for at once: the second waits for the load balancer to settle
    const [first, second] = await Promise.all(
      ['10.0.0.201', '10.0.0.202'].map((address) =>
        octavia.createMember(pool.id, { address, protocol_port: 80, subnet_id: subnet?.id }),
      ),
    );
    await settle(t, octavia, lb.id);
    const monitor = await octavia.createHealthMonitor({
      pool_id: pool.id,
      type: 'HTTP',
      delay: 5,
      timeout: 3,
      max_retries: 3,
    });
    await settle(t, octavia, lb.id);

    const shownPool = await octavia.getPool(pool.id);
    expect(shownPool.healthmonitor_id).toBe(monitor.id);
    expect((await octavia.getListener(listener.id)).default_pool_id).toBe(pool.id);
    const members = await octavia.listMembers(pool.id);
    expect(members.map((m) => m.address).sort()).toEqual(['10.0.0.201', '10.0.0.202']);
    expect((await octavia.getMember(pool.id, String(first?.id))).address).toBe('10.0.0.201');
    const shownLb = await octavia.getLoadBalancer(lb.id);
    expect((shownLb.listeners as { id: string }[]).map((l) => l.id)).toEqual([listener.id]);
    expect((shownLb.pools as { id: string }[]).map((p) => p.id)).toEqual([pool.id]);

    await octavia.deleteMember(pool.id, String(second?.id));
    await settle(t, octavia, lb.id);
    expect((await octavia.listMembers(pool.id)).map((m) => m.id)).toEqual([first?.id]);
    await expect(octavia.getMember(pool.id, String(second?.id))).rejects.toBeInstanceOf(
      CloudNotFound,
    );
    await octavia.deleteHealthMonitor(monitor.id);
    await settle(t, octavia, lb.id);
    await octavia.deletePool(pool.id);
    await settle(t, octavia, lb.id);
    await octavia.deleteListener(listener.id);
    await settle(t, octavia, lb.id);
    await octavia.deleteLoadBalancer(lb.id);
    await octavia.waitForLoadBalancerDelete(lb.id, t.wait);
    expect(await octavia.findLoadBalancer(lb.id)).toBeNull();
    await expect(octavia.getLoadBalancer(lb.id)).rejects.toBeInstanceOf(CloudNotFound);
  });

  it('finds no load balancer, flavor or zone that does not exist', async () => {
    const t = target();
    const octavia = t.drivers.loadBalancer;
    expect(await octavia.findLoadBalancer(serviceName(t, 'none'))).toBeNull();
    expect(await octavia.findLoadBalancer('00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await octavia.findFlavor(serviceName(t, 'flavor'))).toBeNull();
    expect(await octavia.findAvailabilityZone(serviceName(t, 'zone'))).toBeNull();
  });
}
