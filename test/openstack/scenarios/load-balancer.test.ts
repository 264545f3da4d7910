import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/drivers/types.js';
import { adminCloud, clusterServers, loadBalancersNamed } from '../support/cloud-checks.js';
import { uniqueName } from '../support/lab.js';
import { runCleanups, SenlinClient } from '../support/senlin.js';
import { LAB, novaSpec, policySpec } from '../support/specs.js';

// The load-balancing policy on a real Octavia: attaching it makes a load balancer with its
// listener, pool and health monitor; the pool's members follow the cluster's nodes through
// scale out and in; detaching removes it all.
const api = new SenlinClient();
const octavia = adminCloud.loadBalancer;
const cleanups: (() => Promise<unknown>)[] = [];
const clusterName = uniqueName('lb');
let clusterId = '';
let policyId = '';
let lb: Resource;

async function poolMembers(): Promise<Resource[]> {
  const pool = String((lb.pools as { id: string }[])[0]?.id);
  return octavia.listMembers(pool);
}

/** The private addresses of the cluster's servers. */
async function serverAddresses(): Promise<string[]> {
  const servers = await clusterServers(clusterId);
  return servers.flatMap((s) =>
    ((s.addresses as Record<string, { addr: string }[]>)[LAB.network] ?? []).map((a) => a.addr),
  );
}

beforeAll(async () => {
  const profile = await api.createProfile(uniqueName('lb-nova'), novaSpec());
  cleanups.push(() => api.request('DELETE', `/v1/profiles/${profile}`));
  const created = await api.createCluster({
    name: clusterName,
    profile_id: profile,
    desired_capacity: 2,
    min_size: 0,
    max_size: 6,
  });
  clusterId = created.id;
  cleanups.push(() => api.deleteCluster(clusterId));
  expect(created.action.status, created.action.status_reason).toBe('SUCCEEDED');
  policyId = await api.createPolicy(
    uniqueName('lb'),
    policySpec('senlin.policy.loadbalance', '1.1', {
      pool: { protocol: 'HTTP', protocol_port: 80, subnet: LAB.subnet, lb_method: 'ROUND_ROBIN' },
      vip: { subnet: LAB.subnet, protocol: 'HTTP', protocol_port: 80 },
      health_monitor: { type: 'HTTP', delay: 5, timeout: 3, max_retries: 3 },
    }),
  );
  cleanups.push(() => api.request('DELETE', `/v1/policies/${policyId}`));
});

afterAll(async () => {
  await runCleanups(cleanups);
});

describe('the load-balancing policy on Octavia', () => {
  it('makes a load balancer with listener, pool, health monitor and a VIP at attach', async () => {
    await api.actOk('POST', `/v1/clusters/${clusterId}/actions`, {
      policy_attach: { policy_id: policyId, enabled: true },
    });
    const found = await loadBalancersNamed(clusterName);
    expect(found).toHaveLength(1);
    lb = await octavia.getLoadBalancer(String(found[0]?.id));
    expect(lb.provisioning_status).toBe('ACTIVE');
    expect(lb.vip_address).toBeTruthy();
    expect(lb.listeners).toHaveLength(1);
    expect(lb.pools).toHaveLength(1);
    const listener = await octavia.getListener((lb.listeners as { id: string }[])[0]?.id ?? '');
    expect(listener.protocol_port).toBe(80);
    const pool = await octavia.getPool((lb.pools as { id: string }[])[0]?.id ?? '');
    expect(pool.lb_algorithm).toBe('ROUND_ROBIN');
    expect(pool.healthmonitor_id).toBeTruthy();
    const monitor = await octavia.getHealthMonitor(String(pool.healthmonitor_id));
    expect(monitor.type).toBe('HTTP');
  });

  it('puts every node into the pool at its private address', async () => {
    const members = await poolMembers();
    expect(members).toHaveLength(2);
    expect(new Set(members.map((m) => m.address))).toEqual(new Set(await serverAddresses()));
    expect(members.every((m) => m.protocol_port === 80)).toBe(true);
  });

  it('adds the new nodes to the pool on scale out', async () => {
    await api.actOk('POST', `/v1/clusters/${clusterId}/actions`, { scale_out: { count: 2 } });
    const members = await poolMembers();
    expect(members).toHaveLength(4);
    expect(new Set(members.map((m) => m.address))).toEqual(new Set(await serverAddresses()));
    const nodes = await api.clusterNodes(clusterId);
    const details = await Promise.all(nodes.map((n) => api.node(n.id)));
    expect(new Set(details.map((n) => n.data?.lb_member))).toEqual(
      new Set(members.map((m) => m.id)),
    );
  });

  it('removes the deleted nodes from the pool on scale in', async () => {
    await api.actOk('POST', `/v1/clusters/${clusterId}/actions`, { scale_in: { count: 3 } });
    const members = await poolMembers();
    expect(members).toHaveLength(1);
    expect(members.map((m) => m.address)).toEqual(await serverAddresses());
    expect((await octavia.getLoadBalancer(lb.id)).provisioning_status).toBe('ACTIVE');
  });

  it('deletes the load balancer and everything under it at detach', async () => {
    await api.actOk('POST', `/v1/clusters/${clusterId}/actions`, {
      policy_detach: { policy_id: policyId },
    });
    expect(await octavia.findLoadBalancer(lb.id)).toBeNull();
    expect(await loadBalancersNamed(clusterName)).toEqual([]);
  });

  it('leaves nothing in Nova or Octavia once the cluster is deleted', async () => {
    expect(await api.deleteCluster(clusterId)).toBe(true);
    expect(await clusterServers(clusterId)).toEqual([]);
    expect(await loadBalancersNamed(clusterName)).toEqual([]);
  });
});
