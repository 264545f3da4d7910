/**
 * The load-balancing policy through the API, the engine and the fake cloud: after every
 * action the members of the pool are the cluster's ACTIVE nodes (their addresses on the pool
 * subnet's network, on the pool port); detach removes what attach made.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CloudError } from '../../src/drivers/types.js';
import { startEngine, waitForAction } from '../support/engine.js';
import { startApi } from './harness.js';

const api = await startApi({ config: { DEFAULT: { batch_interval: 0 } } });
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());
afterEach(() => api.backend.faults.clear());

const OWNER = { userId: 'demo-user', projectId: 'demo' };
const octavia = api.backend.drivers(OWNER).loadBalancer;

const profileId: string = (
  await api.call('POST', '/v1/profiles', {
    body: {
      profile: {
        name: 'lb-prof',
        spec: {
          type: 'os.nova.server',
          version: '1.0',
          properties: {
            flavor: 'm1.tiny',
            image: 'cirros-0.4.0-x86_64-disk',
            networks: [{ network: 'private' }],
          },
        },
      },
    },
  })
).data.profile.id;

function lbSpec(extra: Record<string, unknown> = {}, version = '1.3') {
  return {
    type: 'senlin.policy.loadbalance',
    version,
    properties: {
      pool: { subnet: 'private-subnet', protocol_port: 8080 },
      vip: { subnet: 'public-subnet', protocol_port: 80 },
      health_monitor: { type: 'HTTP', url_path: '/health' },
      ...extra,
    },
  };
}

async function done(res: { statusCode: number; headers: Record<string, unknown>; data: any }) {
  expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
  const id = String(res.headers.location).split('/actions/')[1] ?? '';
  await waitForAction(api.db, id);
  return (await api.call('GET', `/v1/actions/${id}`)).data.action;
}

async function policy(name: string, spec: Record<string, unknown> = lbSpec()): Promise<string> {
  const res = await api.call('POST', '/v1/policies', { body: { policy: { name, spec } } });
  expect(res.statusCode, JSON.stringify(res.data)).toBe(201);
  return res.data.policy.id;
}

async function cluster(name: string, desired: number, minSize = 0): Promise<string> {
  const action = await done(
    await api.call('POST', '/v1/clusters', {
      body: {
        cluster: { name, profile_id: profileId, desired_capacity: desired, min_size: minSize },
      },
    }),
  );
  expect(action.status, action.status_reason).toBe('SUCCEEDED');
  return (await api.call('GET', `/v1/clusters/${name}`)).data.cluster.id;
}

async function act(clusterId: string, body: Record<string, unknown>) {
  return done(await api.call('POST', `/v1/clusters/${clusterId}/actions`, { body }));
}

async function nodes(clusterId: string): Promise<any[]> {
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

function poolOf(clusterName: string) {
  const pool = api.backend.listAll('pool').find((p) => p.name === `senlin-pool-${clusterName}`);
  expect(pool, `pool of ${clusterName}`).toBeDefined();
  return String(pool?.id);
}

/** Asserts that the pool's members are exactly the cluster's ACTIVE nodes; returns members. */
async function expectPoolMatches(clusterId: string, poolId: string) {
  const members = await octavia.listMembers(poolId);
  const active = (await nodes(clusterId)).filter((n) => n.status === 'ACTIVE');
  expect(members.map((m) => m.address).sort()).toEqual(
    active.map((n) => privateAddress(n.physical_id)).sort(),
  );
  expect(members.map((m) => m.id).sort()).toEqual(active.map((n) => n.data.lb_member).sort());
  expect(members.every((m) => m.protocol_port === 8080)).toBe(true);
  return members;
}

async function attached(name: string, size: number, minSize = 0) {
  const c = await cluster(name, size, minSize);
  const p = await policy(name);
  const attach = await act(c, { policy_attach: { policy_id: p } });
  expect(attach.status, attach.status_reason).toBe('SUCCEEDED');
  return { c, p, pool: poolOf(name) };
}

describe('load-balancing policy', () => {
  it('creates an ACTIVE load balancer with every node of the cluster as a member', async () => {
    const { c, p, pool } = await attached('lb-attach', 2);
    const lb = api.backend.listAllLoadBalancers().find((l) => l.name === 'senlin-lb-lb-attach');
    expect(lb?.provisioning_status).toBe('ACTIVE');
    const names = (kind: string) => api.backend.listAll(kind).map((r) => r.name);
    expect(names('listener')).toContain('senlin-listener-lb-attach');
    const hm = api.backend.listAll('healthmonitor').find((h) => (h.pools as any[])[0]?.id === pool);
    expect(hm).toMatchObject({ type: 'HTTP', url_path: '/health', delay: 10, max_retries: 3 });
    const members = await expectPoolMatches(c, pool);
    expect(members).toHaveLength(2);
    const shown = (await api.call('GET', `/v1/clusters/${c}`)).data.cluster;
    expect(shown.data.loadbalancers).toEqual({ [p]: { vip_address: lb?.vip_address } });
    expect(String(lb?.vip_address)).toMatch(/^172\.24\.4\./);
  });

  it('adds the new nodes of a scale-out to the pool', async () => {
    const { c, pool } = await attached('lb-out', 2);
    const out = await act(c, { scale_out: { count: 2 } });
    expect(out.status, out.status_reason).toBe('SUCCEEDED');
    expect(await expectPoolMatches(c, pool)).toHaveLength(4);
  });

  it('removes one member per node of a scale-in, victims included', async () => {
    const { c, pool } = await attached('lb-in', 4);
    const before = (await nodes(c)).map((n) => n.id);
    const scaleIn = await act(c, { scale_in: { count: 2 } });
    expect(scaleIn.status, scaleIn.status_reason).toBe('SUCCEEDED');
    const after = (await nodes(c)).map((n) => n.id);
    expect(after).toHaveLength(2);
    expect(scaleIn.data.deletion.candidates.sort()).toEqual(
      before.filter((id) => !after.includes(id)).sort(),
    );
    expect(await expectPoolMatches(c, pool)).toHaveLength(2);
  });

  it('follows a resize down and up', async () => {
    const { c, pool } = await attached('lb-resize', 3);
    const down = await act(c, { resize: { adjustment_type: 'EXACT_CAPACITY', number: 1 } });
    expect(down.status, down.status_reason).toBe('SUCCEEDED');
    expect(await expectPoolMatches(c, pool)).toHaveLength(1);
    const up = await act(c, { resize: { adjustment_type: 'CHANGE_IN_CAPACITY', number: 2 } });
    expect(up.status, up.status_reason).toBe('SUCCEEDED');
    expect(await expectPoolMatches(c, pool)).toHaveLength(3);
  });

  it('removes the members of deleted nodes and of a node deleted by a node request', async () => {
    const { c, pool } = await attached('lb-del', 3);
    const [first, second] = (await nodes(c)).map((n) => n.id);
    const del = await act(c, { del_nodes: { nodes: [first], destroy_after_deletion: true } });
    expect(del.status, del.status_reason).toBe('SUCCEEDED');
    expect(await expectPoolMatches(c, pool)).toHaveLength(2);
    const nodeDelete = await done(await api.call('DELETE', `/v1/nodes/${second}`));
    expect(nodeDelete.status, nodeDelete.status_reason).toBe('SUCCEEDED');
    expect(await expectPoolMatches(c, pool)).toHaveLength(1);
  });

  it('defers the removal to the nodes leaving through lifecycle hooks', async () => {
    const { c, pool } = await attached('lb-hooks', 2);
    const hooks = await policy('lb-hooks-del', {
      type: 'senlin.policy.deletion',
      version: '1.1',
      properties: {
        destroy_after_deletion: false,
        hooks: { type: 'zaqar', params: { queue: 'lb-hooks-q' }, timeout: 1 },
      },
    });
    await act(c, { policy_attach: { policy_id: hooks } });
    const res = await api.call('POST', `/v1/clusters/${c}/actions`, {
      body: { scale_in: { count: 1 } },
    });
    const id = String(res.headers.location).split('/actions/')[1] ?? '';
    let waited = false;
    for (let i = 0; i < 200 && !waited; i++) {
      const list = (
        await api.call('GET', '/v1/actions', { query: { status: 'WAITING_LIFECYCLE_COMPLETION' } })
      ).data.actions;
      waited = list.length > 0;
      if (waited) expect(await octavia.listMembers(pool)).toHaveLength(2);
      else await new Promise((r) => setTimeout(r, 10));
    }
    expect(waited).toBe(true);
    const scaleIn = await waitForAction(api.db, id);
    expect(scaleIn.status, scaleIn.statusReason).toBe('SUCCEEDED');
    expect(await expectPoolMatches(c, pool)).toHaveLength(1);
    const [gone] = (scaleIn.data.deletion as { candidates: string[] }).candidates;
    const left = (await api.call('GET', `/v1/nodes/${gone}`)).data.node;
    expect(left).toMatchObject({ cluster_id: '', status: 'ACTIVE' });
    expect(left.data.lb_member).toBeUndefined();
  });

  it('adds nodes joining the cluster and swaps members on replacement', async () => {
    const { c, pool } = await attached('lb-join', 1);
    const orphan = async (name: string) => {
      const res = await api.call('POST', '/v1/nodes', {
        body: { node: { name, profile_id: profileId } },
      });
      await done(res);
      return String(res.data.node.id);
    };
    const extra = await orphan('lb-join-extra');
    const add = await act(c, { add_nodes: { nodes: [extra] } });
    expect(add.status, add.status_reason).toBe('SUCCEEDED');
    expect(await expectPoolMatches(c, pool)).toHaveLength(2);
    const spare = await orphan('lb-join-spare');
    const replace = await act(c, { replace_nodes: { nodes: { [extra]: spare } } });
    expect(replace.status, replace.status_reason).toBe('SUCCEEDED');
    const members = await expectPoolMatches(c, pool);
    expect(members).toHaveLength(2);
    const left = (await api.call('GET', `/v1/nodes/${extra}`)).data.node;
    expect(left.cluster_id).toBe('');
    expect(left.data.lb_member).toBeUndefined();
  });

  it('adds a node created in the cluster by a node request', async () => {
    const { c, pool } = await attached('lb-node', 1);
    const create = await api.call('POST', '/v1/nodes', {
      body: { node: { name: 'lb-node-new', profile_id: profileId, cluster_id: c } },
    });
    expect((await done(create)).status).toBe('SUCCEEDED');
    expect(await expectPoolMatches(c, pool)).toHaveLength(2);
  });

  it('re-adds a node whose server was recreated by a recovery', async () => {
    const { c, pool } = await attached('lb-recover', 2);
    const [node] = await nodes(c);
    const recover = await done(
      await api.call('POST', `/v1/nodes/${node.id}/actions`, {
        body: { recover: { operation: 'RECREATE' } },
      }),
    );
    expect(recover.status, recover.status_reason).toBe('SUCCEEDED');
    const after = (await api.call('GET', `/v1/nodes/${node.id}`)).data.node;
    expect(after.physical_id).not.toBe(node.physical_id);
    expect(after.data.lb_member).not.toBe(node.data.lb_member);
    expect(after.data.recovery).toBeUndefined();
    expect(await expectPoolMatches(c, pool)).toHaveLength(2);
  });

  it('brings the pool in line after a cluster recovery recreated a server', async () => {
    const { c, pool } = await attached('lb-cluster-recover', 2);
    const [node] = await nodes(c);
    api.backend.destroyServer(node.physical_id);
    const recover = await act(c, { recover: { check: true, operation: 'RECREATE' } });
    expect(recover.status, recover.status_reason).toBe('SUCCEEDED');
    const after = (await api.call('GET', `/v1/nodes/${node.id}`)).data.node;
    expect(after.status).toBe('ACTIVE');
    expect(after.physical_id).not.toBe(node.physical_id);
    expect(await expectPoolMatches(c, pool)).toHaveLength(2);
    expect(after.data.lb_member).not.toBe(node.data.lb_member);
    expect(after.data.recovery).toBeUndefined();
  });

  it('deletes the load balancer, listener, pool and health monitor at detach', async () => {
    const { c, p, pool } = await attached('lb-detach', 2);
    const lb = api.backend.listAllLoadBalancers().find((l) => l.name === 'senlin-lb-lb-detach');
    const detach = await act(c, { policy_detach: { policy_id: p } });
    expect(detach.status, detach.status_reason).toBe('SUCCEEDED');
    expect(api.backend.listAllLoadBalancers().some((l) => l.id === lb?.id)).toBe(false);
    for (const kind of ['listener', 'pool', 'healthmonitor']) {
      expect(api.backend.listAll(kind).some((r) => String(r.name).endsWith('lb-detach'))).toBe(
        false,
      );
    }
    expect(
      api.backend.listAll('healthmonitor').some((h) => (h.pools as any[])[0]?.id === pool),
    ).toBe(false);
    expect((await nodes(c)).every((n) => n.data.lb_member === undefined)).toBe(true);
    expect((await api.call('GET', `/v1/clusters/${c}`)).data.cluster.data.loadbalancers).toBe(
      undefined,
    );
  });

  it('deletes the load balancer with the cluster', async () => {
    const { c } = await attached('lb-gone', 1);
    const del = await done(await api.call('DELETE', `/v1/clusters/${c}`));
    expect(del.status, del.status_reason).toBe('SUCCEEDED');
    expect(api.backend.listAllLoadBalancers().some((l) => l.name === 'senlin-lb-lb-gone')).toBe(
      false,
    );
  });

  it('fills the pool of an empty cluster as it grows', async () => {
    const { c, pool } = await attached('lb-empty', 0);
    expect(await octavia.listMembers(pool)).toEqual([]);
    const out = await act(c, { scale_out: {} });
    expect(out.status, out.status_reason).toBe('SUCCEEDED');
    expect(await expectPoolMatches(c, pool)).toHaveLength(1);
  });

  it('uses an existing load balancer and only removes its members at detach', async () => {
    const subnet = await api.backend.drivers(OWNER).network.findSubnet('private-subnet');
    const lb = await octavia.createLoadBalancer({ name: 'lb-shared', vip_subnet_id: subnet?.id });
    const listener = await octavia.createListener({
      loadbalancer_id: lb.id,
      protocol: 'HTTP',
      protocol_port: 80,
    });
    const pool = await octavia.createPool({
      listener_id: listener.id,
      protocol: 'HTTP',
      lb_algorithm: 'ROUND_ROBIN',
    });
    const c = await cluster('lb-existing', 2);
    const p = await policy(
      'lb-existing',
      lbSpec({
        loadbalancer: 'lb-shared',
        pool: { subnet: 'private-subnet', protocol_port: 8080, id: pool.id },
      }),
    );
    const attach = await act(c, { policy_attach: { policy_id: p } });
    expect(attach.status, attach.status_reason).toBe('SUCCEEDED');
    expect(await expectPoolMatches(c, pool.id)).toHaveLength(2);
    expect(api.backend.listAll('pool').some((x) => x.name === 'senlin-pool-lb-existing')).toBe(
      false,
    );
    const detach = await act(c, { policy_detach: { policy_id: p } });
    expect(detach.status, detach.status_reason).toBe('SUCCEEDED');
    expect(await octavia.listMembers(pool.id)).toEqual([]);
    expect((await octavia.getLoadBalancer(lb.id)).provisioning_status).toBe('ACTIVE');
  });
});

describe('load-balancing policy failures', () => {
  const injected = (call: string) =>
    api.backend.faults.add({
      service: 'loadBalancer',
      call,
      error: new CloudError(500, 'member trouble'),
      times: 1,
    });

  it('fails the attach and removes the load balancer when a member cannot be added', async () => {
    const c = await cluster('lb-fail-attach', 2);
    const p = await policy('lb-fail-attach');
    injected('createMember');
    const attach = await act(c, { policy_attach: { policy_id: p } });
    expect(attach.status).toBe('FAILED');
    expect(attach.status_reason).toBe('Failed in adding node into lb pool');
    expect(
      api.backend.listAllLoadBalancers().some((l) => l.name === 'senlin-lb-lb-fail-attach'),
    ).toBe(false);
    expect((await nodes(c)).every((n) => n.data.lb_member === undefined)).toBe(true);
    const bound = (await api.call('GET', `/v1/clusters/${c}/policies`)).data.cluster_policies;
    expect(bound).toEqual([]);
  });

  it('marks a node WARNING and fails the action when its member cannot be added', async () => {
    const { c } = await attached('lb-fail-add', 1);
    injected('createMember');
    const out = await act(c, { scale_out: { count: 1 } });
    const fresh = (await nodes(c)).find((n) => n.data.lb_member === undefined);
    expect(out.status).toBe('FAILED');
    expect(out.status_reason).toBe(
      `Policy check failure: Failed policy 'lb-fail-add': Failed in adding nodes into lb pool: ['${fresh.id}']`,
    );
    expect(fresh.status).toBe('WARNING');
    expect(fresh.status_reason).toBe('Failed in adding node into lb pool.');
  });

  it('marks a node WARNING and stops a scale-in when its member cannot be removed', async () => {
    const { c, pool } = await attached('lb-fail-remove', 2);
    injected('deleteMember');
    const scaleIn = await act(c, { scale_in: { count: 1 } });
    expect(scaleIn.status).toBe('FAILED');
    const victim = scaleIn.data.deletion.candidates[0];
    expect(scaleIn.status_reason).toBe(
      `Policy check failure: Failed policy 'lb-fail-remove': Failed in removing deleted node(s) from lb pool: ['${victim}']`,
    );
    const node = (await api.call('GET', `/v1/nodes/${victim}`)).data.node;
    expect(node).toMatchObject({
      status: 'WARNING',
      status_reason: 'Failed in removing node from lb pool.',
    });
    expect(await octavia.listMembers(pool)).toHaveLength(2);
  });

  it('leaves the pool alone when a scale-in is refused by the minimum size', async () => {
    const { c, pool } = await attached('lb-at-min', 2, 2);
    const scaleIn = await act(c, { scale_in: { count: 1 } });
    expect(scaleIn.status).toBe('FAILED');
    expect(await expectPoolMatches(c, pool)).toHaveLength(2);
  });
});

describe('watching the load balancer it made', () => {
  async function lbOf(name: string) {
    const lb = api.backend.listAllLoadBalancers().find((l) => l.name === `senlin-lb-${name}`);
    expect(lb, `load balancer of ${name}`).toBeDefined();
    return lb as { id: string; vip_address: string };
  }

  async function shownLb(clusterId: string, policyId: string) {
    return (await api.call('GET', `/v1/clusters/${clusterId}`)).data.cluster.data.loadbalancers[
      policyId
    ];
  }

  it('reports a healthy load balancer at cluster check', async () => {
    const { c, p } = await attached('lb-watch-ok', 2);
    const check = await act(c, { check: {} });
    expect(check.status, check.status_reason).toBe('SUCCEEDED');
    expect(await shownLb(c, p)).toMatchObject({
      status: 'ACTIVE',
      status_reason: 'Load balancer is ACTIVE.',
    });
  });

  it('finds a load balancer deleted behind its back and rebuilds it on recover', async () => {
    const { c, p } = await attached('lb-watch-gone', 2);
    const old = await lbOf('lb-watch-gone');
    await octavia.deleteLoadBalancer(old.id, { cascade: true });
    await octavia.waitForLoadBalancerDelete(old.id, { timeout: 10, interval: 0.01 });

    const check = await act(c, { check: {} });
    expect(check.status).toBe('FAILED');
    expect(check.status_reason).toContain(
      `Load balancer of policy lb-watch-gone: load balancer ${old.id} is missing.`,
    );
    expect(await shownLb(c, p)).toMatchObject({ status: 'ERROR' });

    const recover = await act(c, { recover: {} });
    expect(recover.status, recover.status_reason).toBe('SUCCEEDED');
    const fresh = await lbOf('lb-watch-gone');
    expect(fresh.id).not.toBe(old.id);
    expect(await expectPoolMatches(c, poolOf('lb-watch-gone'))).toHaveLength(2);
    expect(await shownLb(c, p)).toMatchObject({
      vip_address: fresh.vip_address,
      status: 'ACTIVE',
      status_reason: 'Load balancer rebuilt.',
    });
    const again = await act(c, { check: {} });
    expect(again.status, again.status_reason).toBe('SUCCEEDED');
  });

  it('finds a load balancer in ERROR and replaces it on recover', async () => {
    const { c } = await attached('lb-watch-error', 1);
    const old = await lbOf('lb-watch-error');
    api.backend.setLoadBalancerStatus(old.id, 'ERROR');
    const check = await act(c, { check: {} });
    expect(check.status_reason).toContain(`load balancer ${old.id} is in ERROR`);
    const recover = await act(c, { recover: {} });
    expect(recover.status, recover.status_reason).toBe('SUCCEEDED');
    expect((await lbOf('lb-watch-error')).id).not.toBe(old.id);
    expect(api.backend.listAllLoadBalancers().some((l) => l.id === old.id)).toBe(false);
    expect(await expectPoolMatches(c, poolOf('lb-watch-error'))).toHaveLength(1);
  });

  it('finds a member removed behind its back and puts the node back on recover', async () => {
    const { c, pool } = await attached('lb-watch-member', 2);
    const [first] = await octavia.listMembers(pool);
    await octavia.deleteMember(pool, String(first?.id));
    const check = await act(c, { check: {} });
    expect(check.status).toBe('FAILED');
    expect(check.status_reason).toContain(`1 ACTIVE node(s) are not in pool ${pool}`);
    const recover = await act(c, { recover: {} });
    expect(recover.status, recover.status_reason).toBe('SUCCEEDED');
    expect(await expectPoolMatches(c, pool)).toHaveLength(2);
  });
});
