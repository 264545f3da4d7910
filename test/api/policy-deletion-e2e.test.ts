/**
 * The deletion policy through the API, the engine and the fake cloud: which nodes go by each
 * criterion, what happens to them, grace periods, desired capacity, lifecycle hooks, and
 * detaching it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, waitForAction } from '../support/engine.js';
import { NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

type Reply = { statusCode: number; headers: Record<string, unknown>; data: any };

function actionId(res: Reply): string {
  expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
  return String(res.headers.location).split('/actions/')[1] ?? '';
}

async function show(id: string): Promise<any> {
  return (await api.call('GET', `/v1/actions/${id}`)).data.action;
}

async function done(res: Reply): Promise<any> {
  const id = actionId(res);
  await waitForAction(api.db, id);
  return show(id);
}

let serial = 0;
async function newProfile(): Promise<string> {
  serial += 1;
  const res = await api.call('POST', '/v1/profiles', {
    body: { profile: { name: `dp-${serial}`, spec: NOVA_SPEC } },
  });
  return res.data.profile.id;
}

const profileId = await newProfile();

async function cluster(id: string): Promise<any> {
  return (await api.call('GET', `/v1/clusters/${id}`)).data.cluster;
}

async function node(id: string): Promise<Reply> {
  return api.call('GET', `/v1/nodes/${id}`);
}

async function act(id: string, body: Record<string, unknown>): Promise<any> {
  return done(await api.call('POST', `/v1/clusters/${id}/actions`, { body }));
}

/** A cluster whose nodes were created one by one (so their ages differ); ids oldest first. */
async function agedCluster(count: number, profile = profileId): Promise<[string, string[]]> {
  serial += 1;
  await done(
    await api.call('POST', '/v1/clusters', {
      body: { cluster: { name: `dc-${serial}`, profile_id: profile, desired_capacity: 1 } },
    }),
  );
  const id: string = (await cluster(`dc-${serial}`)).id;
  const order: string[] = [...(await cluster(id)).nodes];
  for (let i = 1; i < count; i++) {
    await new Promise((r) => setTimeout(r, 5));
    const out = await act(id, { scale_out: { count: 1 } });
    order.push(...out.data.creation.nodes);
  }
  return [id, order];
}

async function deletionPolicy(properties: Record<string, unknown>, version = '1.0') {
  serial += 1;
  const spec = { type: 'senlin.policy.deletion', version, properties };
  const res = await api.call('POST', '/v1/policies', {
    body: { policy: { name: `del-${serial}`, spec } },
  });
  expect(res.statusCode, JSON.stringify(res.data)).toBe(201);
  return res.data.policy.id as string;
}

async function attach(clusterId: string, policyId: string): Promise<void> {
  const action = await act(clusterId, { policy_attach: { policy_id: policyId } });
  expect(action.status, action.status_reason).toBe('SUCCEEDED');
}

describe('deletion policy', () => {
  it('deletes the oldest nodes first with OLDEST_FIRST', async () => {
    const [id, order] = await agedCluster(3);
    await attach(id, await deletionPolicy({ criteria: 'OLDEST_FIRST' }));
    const action = await act(id, { scale_in: { count: 2 } });
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.deletion.candidates).toEqual([order[0], order[1]]);
    expect((await cluster(id)).nodes).toEqual([order[2]]);
  });

  it('deletes the youngest nodes first with YOUNGEST_FIRST, also on resize', async () => {
    const [id, order] = await agedCluster(3);
    await attach(id, await deletionPolicy({ criteria: 'YOUNGEST_FIRST' }));
    const action = await act(id, { resize: { adjustment_type: 'EXACT_CAPACITY', number: 1 } });
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.deletion.candidates).toEqual([order[2], order[1]]);
    expect((await cluster(id)).nodes).toEqual([order[0]]);
  });

  it('deletes nodes of the oldest profile first with OLDEST_PROFILE_FIRST', async () => {
    const older = await newProfile();
    const newer = await newProfile();
    const [id, [first]] = await agedCluster(1, newer);
    const res = await api.call('POST', '/v1/nodes', {
      body: { node: { name: 'old-profile', profile_id: older, cluster_id: id } },
    });
    await done(res);
    const young: string = res.data.node.id;
    await attach(id, await deletionPolicy({ criteria: 'OLDEST_PROFILE_FIRST' }));
    const action = await act(id, { scale_in: { count: 1 } });
    expect(action.data.deletion.candidates).toEqual([young]);
    expect((await cluster(id)).nodes).toEqual([first]);
  });

  it('deletes nodes in ERROR before healthy ones whatever the criterion', async () => {
    const [id, order] = await agedCluster(3);
    const broken = order[2] ?? '';
    api.backend.setServerStatus((await node(broken)).data.node.physical_id, 'ERROR');
    await act(id, { check: {} });
    expect((await node(broken)).data.node.status).toBe('ERROR');
    await attach(id, await deletionPolicy({ criteria: 'OLDEST_FIRST' }));
    const action = await act(id, { scale_in: { count: 1 } });
    expect(action.data.deletion.candidates).toEqual([broken]);
  });

  it('deletes RANDOM nodes among the members', async () => {
    const [id, order] = await agedCluster(3);
    await attach(id, await deletionPolicy({}));
    const action = await act(id, { scale_in: { count: 2 } });
    const victims: string[] = action.data.deletion.candidates;
    expect(victims).toHaveLength(2);
    expect(new Set(victims).size).toBe(2);
    for (const v of victims) expect(order).toContain(v);
    expect((await cluster(id)).nodes).toEqual(order.filter((n) => !victims.includes(n)));
  });

  it('only takes nodes out of the cluster when destroy_after_deletion is false', async () => {
    const [id, order] = await agedCluster(2);
    await attach(
      id,
      await deletionPolicy({ criteria: 'OLDEST_FIRST', destroy_after_deletion: false }),
    );
    const action = await act(id, { scale_in: { count: 1 } });
    expect(action.data.deletion.destroy_after_deletion).toBe(false);
    const left = (await node(order[0] ?? '')).data.node;
    expect(left.cluster_id).toBe('');
    expect(left.status).toBe('ACTIVE');
    expect(api.backend.listAllServers().some((s) => s.id === left.physical_id)).toBe(true);
  });

  it('destroys the nodes a user deletes from the cluster', async () => {
    const [id, order] = await agedCluster(2);
    await attach(id, await deletionPolicy({}));
    const server = (await node(order[1] ?? '')).data.node.physical_id;
    const action = await act(id, { del_nodes: { nodes: [order[1]] } });
    expect(action.data.deletion).toMatchObject({
      count: 1,
      candidates: [order[1]],
      destroy_after_deletion: true,
    });
    expect((await node(order[1] ?? '')).statusCode).toBe(404);
    expect(api.backend.listAllServers().some((s) => s.id === server)).toBe(false);
  });

  it('waits grace_period seconds before deleting', async () => {
    const [id] = await agedCluster(2);
    await attach(id, await deletionPolicy({ grace_period: 1 }));
    const action = await act(id, { scale_in: { count: 1 } });
    expect(action.data.deletion.grace_period).toBe(1);
    expect(action.end_time - action.start_time).toBeGreaterThanOrEqual(1);
  });

  it('keeps the desired capacity on a node deletion when reduce_desired_capacity is false', async () => {
    const [id, order] = await agedCluster(3);
    await attach(id, await deletionPolicy({ reduce_desired_capacity: false }));
    const deleted = await done(await api.call('DELETE', `/v1/nodes/${order[2]}`));
    expect(deleted.status, deleted.status_reason).toBe('SUCCEEDED');
    expect(deleted.data.deletion).toMatchObject({
      count: 1,
      candidates: [order[2]],
      reduce_desired_capacity: false,
      grace_period: 0,
    });
    await act(id, { del_nodes: { nodes: [order[1]] } });
    const after = await cluster(id);
    expect(after.nodes).toEqual([order[0]]);
    expect(after.desired_capacity).toBe(3);
  });

  it('keeps the desired capacity on scale-in when reduce_desired_capacity is false', async () => {
    const [id] = await agedCluster(3);
    await attach(id, await deletionPolicy({ reduce_desired_capacity: false }));
    await act(id, { scale_in: { count: 1 } });
    const after = await cluster(id);
    expect(after.nodes).toHaveLength(2);
    expect(after.desired_capacity).toBe(3);
  });

  it('runs its lifecycle hook: posts a token and deletes once the lifecycle completes', async () => {
    const [id, order] = await agedCluster(2);
    const queue = `hooks-${serial}`;
    await attach(
      id,
      await deletionPolicy(
        {
          criteria: 'OLDEST_FIRST',
          hooks: { type: 'zaqar', params: { queue }, timeout: 60 },
        },
        '1.1',
      ),
    );
    const scaling = actionId(
      await api.call('POST', `/v1/clusters/${id}/actions`, { body: { scale_in: { count: 1 } } }),
    );
    let messages = api.backend.listQueueMessages(queue);
    for (let i = 0; i < 400 && messages.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      messages = api.backend.listQueueMessages(queue);
    }
    expect(messages).toHaveLength(1);
    const body = messages[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      node_id: order[0],
      lifecycle_transition_type: 'termination',
    });
    expect((await node(order[0] ?? '')).data.node.status).toBe('ACTIVE');
    const complete = await api.call('POST', `/v1/clusters/${id}/actions`, {
      body: { complete_lifecycle: { lifecycle_action_token: body.lifecycle_action_token } },
    });
    expect(complete.statusCode).toBe(202);
    await waitForAction(api.db, scaling);
    const action = await show(scaling);
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.hooks).toMatchObject({ type: 'zaqar', params: { queue }, timeout: 60 });
    expect((await cluster(id)).nodes).toEqual([order[1]]);
  });

  it('decides nothing once detached', async () => {
    const [id, order] = await agedCluster(3);
    const policy = await deletionPolicy({
      criteria: 'OLDEST_FIRST',
      destroy_after_deletion: false,
    });
    await attach(id, policy);
    await act(id, { scale_in: { count: 1 } });
    expect((await node(order[0] ?? '')).data.node.cluster_id).toBe('');
    const detach = await act(id, { policy_detach: { policy_id: policy } });
    expect(detach.status, detach.status_reason).toBe('SUCCEEDED');
    expect((await api.call('GET', `/v1/clusters/${id}/policies/${policy}`)).statusCode).toBe(404);
    const action = await act(id, { scale_in: { count: 1 } });
    expect(action.data.deletion?.candidates).toBeUndefined();
    const left: string[] = (await cluster(id)).nodes;
    expect(left).toHaveLength(1);
    const removed = order.slice(1).find((n) => !left.includes(n)) ?? '';
    expect((await node(removed)).statusCode).toBe(404);
  });
});
