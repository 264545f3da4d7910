/**
 * An auto-scaled, load-balanced, self-healing cluster end to end: scaling-out, scaling-in,
 * deletion, load-balancing and health policies on one cluster, driven by webhook triggers as
 * an Aodh alarm sends them, on the fake cloud. After every step the cluster stays within its
 * size limits and the pool members are exactly the cluster's ACTIVE nodes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, waitForAction } from '../support/engine.js';
import { NOVA_SPEC, startApi } from './harness.js';

const api = await startApi({ config: { DEFAULT: { batch_interval: 0 } } });
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

const octavia = api.backend.drivers({ userId: 'demo-user', projectId: 'demo' }).loadBalancer;

type Reply = { statusCode: number; headers: Record<string, unknown>; data: any };

async function created(path: string, body: Record<string, unknown>, headers = {}): Promise<any> {
  const res = await api.call('POST', path, { body, headers });
  expect(res.statusCode, JSON.stringify(res.data)).toBe(201);
  return res.data;
}

async function finished(res: Reply): Promise<any> {
  expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
  const id = String(res.headers.location).split('/actions/')[1] ?? '';
  await waitForAction(api.db, id);
  return (await api.call('GET', `/v1/actions/${id}`)).data.action;
}

async function act(clusterId: string, body: Record<string, unknown>): Promise<any> {
  return finished(await api.call('POST', `/v1/clusters/${clusterId}/actions`, { body }));
}

/** What Aodh posts to an alarm URL: no token, no microversion, the alarm as the body. */
async function alarm(url: string, name: string): Promise<any> {
  const target = new URL(url);
  const res = await api.call('POST', `${target.pathname}${target.search}`, {
    as: {},
    body: {
      alarm_name: name,
      alarm_id: `${name}-id`,
      severity: 'low',
      previous: 'ok',
      current: 'alarm',
      reason: 'Transition to alarm due to 3 samples outside threshold',
      reason_data: { type: 'threshold', disposition: 'outside', count: 3 },
    },
  });
  return finished(res);
}

async function policy(name: string, type: string, version: string, properties: object) {
  const data = await created('/v1/policies', {
    policy: { name, spec: { type: `senlin.policy.${type}`, version, properties } },
  });
  return data.policy.id as string;
}

async function clusterNodes(clusterId: string): Promise<any[]> {
  const list = (await api.call('GET', '/v1/nodes', { query: { cluster_id: clusterId } })).data
    .nodes;
  return Promise.all(
    list.map(async (n: any) => (await api.call('GET', `/v1/nodes/${n.id}`)).data.node),
  );
}

function privateAddress(serverId: string): string {
  const server = api.backend.listAllServers().find((s) => s.id === serverId);
  const list = (server?.addresses as Record<string, { addr: string }[]>)?.private ?? [];
  return String(list[0]?.addr);
}

/** Asserts size limits, all nodes ACTIVE and pool members = nodes; returns the nodes. */
async function expectHealthy(clusterId: string, poolId: string, size: number): Promise<any[]> {
  const cluster = (await api.call('GET', `/v1/clusters/${clusterId}`)).data.cluster;
  expect(cluster.status, cluster.status_reason).toBe('ACTIVE');
  expect(cluster.nodes).toHaveLength(size);
  expect(cluster.desired_capacity).toBe(size);
  expect(size).toBeGreaterThanOrEqual(cluster.min_size);
  expect(size).toBeLessThanOrEqual(cluster.max_size);
  const nodes = await clusterNodes(clusterId);
  expect(nodes.map((n) => n.status)).toEqual(nodes.map(() => 'ACTIVE'));
  const members = await octavia.listMembers(poolId);
  expect(members.map((m) => m.address).sort()).toEqual(
    nodes.map((n) => privateAddress(n.physical_id)).sort(),
  );
  expect(members.map((m) => m.id).sort()).toEqual(nodes.map((n) => n.data.lb_member).sort());
  return nodes;
}

describe('an auto-scaled, load-balanced, self-healing cluster', async () => {
  const profile = (
    await created('/v1/profiles', { profile: { name: 'web-server', spec: NOVA_SPEC } })
  ).profile;
  const create = await finished(
    await api.call('POST', '/v1/clusters', {
      body: {
        cluster: {
          name: 'web',
          profile_id: profile.id,
          min_size: 1,
          max_size: 4,
          desired_capacity: 2,
        },
      },
    }),
  );
  expect(create.status, create.status_reason).toBe('SUCCEEDED');
  const clusterId: string = create.target;

  const adjustment = { type: 'CHANGE_IN_CAPACITY', number: 1, min_step: 1, cooldown: 0 };
  const policies = [
    await policy('web-out', 'scaling', '1.0', {
      event: 'CLUSTER_SCALE_OUT',
      adjustment: { ...adjustment, best_effort: true },
    }),
    await policy('web-in', 'scaling', '1.0', {
      event: 'CLUSTER_SCALE_IN',
      adjustment: { ...adjustment, best_effort: false },
    }),
    await policy('web-del', 'deletion', '1.0', {
      criteria: 'OLDEST_FIRST',
      destroy_after_deletion: true,
    }),
    await policy('web-lb', 'loadbalance', '1.3', {
      pool: { subnet: 'private-subnet', protocol_port: 8080 },
      vip: { subnet: 'public-subnet', protocol_port: 80 },
      health_monitor: { type: 'HTTP', url_path: '/health' },
    }),
    await policy('web-health', 'health', '1.1', {
      detection: { interval: 60, detection_modes: [{ type: 'NODE_STATUS_POLLING' }] },
      recovery: { actions: [{ name: 'RECREATE' }] },
    }),
  ];
  for (const policyId of policies) {
    const attach = await act(clusterId, { policy_attach: { policy_id: policyId } });
    expect(attach.status, attach.status_reason).toBe('SUCCEEDED');
  }
  const pool = api.backend.listAll('pool').find((p) => p.name === 'senlin-pool-web');
  const poolId = String(pool?.id);

  async function receiver(name: string, action: string): Promise<string> {
    const data = await created(
      '/v1/receivers',
      { receiver: { name, type: 'webhook', cluster_id: clusterId, action } },
      { 'x-trust-id': 'trust-of-demo' },
    );
    return data.receiver.channel.alarm_url;
  }
  const scaleOutUrl = await receiver('web-scale-out', 'CLUSTER_SCALE_OUT');
  const scaleInUrl = await receiver('web-scale-in', 'CLUSTER_SCALE_IN');

  it('starts with every node behind the load balancer', async () => {
    expect(pool).toBeDefined();
    await expectHealthy(clusterId, poolId, 2);
  });

  it('grows by the policy adjustment on each alarm, up to max_size and no further', async () => {
    for (const size of [3, 4]) {
      const action = await alarm(scaleOutUrl, 'cpu-high');
      expect(action.status, action.status_reason).toBe('SUCCEEDED');
      expect(action.action).toBe('CLUSTER_SCALE_OUT');
      await expectHealthy(clusterId, poolId, size);
    }
    const atMax = await alarm(scaleOutUrl, 'cpu-high');
    expect(atMax.status, atMax.status_reason).toBe('SUCCEEDED');
    expect(atMax.data.creation.count).toBe(0);
    await expectHealthy(clusterId, poolId, 4);
  });

  it('shrinks oldest first on each alarm, down to min_size and refuses to go below', async () => {
    const before = await clusterNodes(clusterId);
    let remaining = before;
    for (const size of [3, 2, 1]) {
      const action = await alarm(scaleInUrl, 'cpu-low');
      expect(action.status, action.status_reason).toBe('SUCCEEDED');
      expect(action.action).toBe('CLUSTER_SCALE_IN');
      const nodes = await expectHealthy(clusterId, poolId, size);
      const gone = remaining.filter((r) => !nodes.some((n) => n.id === r.id));
      expect(gone).toHaveLength(1);
      const oldest = remaining.map((n) => n.created_at).sort()[0];
      expect(gone[0].created_at).toBe(oldest);
      remaining = nodes;
    }
    const belowMin = await alarm(scaleInUrl, 'cpu-low');
    expect(belowMin.status).toBe('FAILED');
    expect(belowMin.status_reason).toMatch(/min_size/);
    await expectHealthy(clusterId, poolId, 1);
    const servers = new Set(api.backend.listAllServers().map((s) => s.id));
    const destroyed = before.filter((n) => !remaining.some((r) => r.id === n.id));
    expect(destroyed).toHaveLength(3);
    for (const node of destroyed) expect(servers.has(node.physical_id)).toBe(false);
  });

  it('replaces a server killed in the cloud when the cluster is checked and recovered', async () => {
    const grow = await alarm(scaleOutUrl, 'cpu-high');
    expect(grow.status, grow.status_reason).toBe('SUCCEEDED');
    const [victim] = await expectHealthy(clusterId, poolId, 2);
    api.backend.destroyServer(victim.physical_id);

    const check = await act(clusterId, { check: {} });
    expect(check.status, check.status_reason).toBe('SUCCEEDED');
    const found = (await api.call('GET', `/v1/nodes/${victim.id}`)).data.node;
    expect(found.status).toBe('ERROR');

    const recover = await act(clusterId, { recover: {} });
    expect(recover.status, recover.status_reason).toBe('SUCCEEDED');
    const nodes = await expectHealthy(clusterId, poolId, 2);
    const replaced = nodes.find((n) => n.id === victim.id);
    expect(replaced.physical_id).not.toBe(victim.physical_id);
  });

  it('recovers a dead server before a scale-out counts it as capacity', async () => {
    const [victim] = await expectHealthy(clusterId, poolId, 2);
    api.backend.destroyServer(victim.physical_id);
    const action = await alarm(scaleOutUrl, 'cpu-high');
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    const nodes = await expectHealthy(clusterId, poolId, 3);
    expect(nodes.find((n) => n.id === victim.id).physical_id).not.toBe(victim.physical_id);
  });

  it('makes a dead server the victim of a scale-in before any healthy one', async () => {
    const nodes = await expectHealthy(clusterId, poolId, 3);
    const youngest = nodes.sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
    api.backend.destroyServer(youngest.physical_id);
    const action = await alarm(scaleInUrl, 'cpu-low');
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.deletion.candidates).toEqual([youngest.id]);
    const after = await expectHealthy(clusterId, poolId, 2);
    expect(after.map((n) => n.id)).not.toContain(youngest.id);
  });

  it('cleans up the load balancer and the health registration when policies detach', async () => {
    for (const policyId of policies) {
      const detach = await act(clusterId, { policy_detach: { policy_id: policyId } });
      expect(detach.status, detach.status_reason).toBe('SUCCEEDED');
    }
    expect(api.backend.listAllLoadBalancers().filter((l) => l.name === 'senlin-lb-web')).toEqual(
      [],
    );
    expect(api.backend.listAll('pool').filter((p) => p.name === 'senlin-pool-web')).toEqual([]);
    const registry = await api.db.kysely
      .selectFrom('health_registry')
      .selectAll()
      .where('cluster_id', '=', clusterId)
      .execute();
    expect(registry).toEqual([]);
    const bindings = (await api.call('GET', `/v1/clusters/${clusterId}/policies`)).data
      .cluster_policies;
    expect(bindings).toEqual([]);
  });
});
