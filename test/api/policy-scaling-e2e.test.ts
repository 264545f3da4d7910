/**
 * The scaling policy through the API, the engine and the fake cloud: how far scale-in and
 * scale-out go for each adjustment type, best effort, the cooldown it keeps, and detaching it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, waitForAction } from '../support/engine.js';
import { errorMessage, NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

const profileId: string = (
  await api.call('POST', '/v1/profiles', { body: { profile: { name: 'sp', spec: NOVA_SPEC } } })
).data.profile.id;

type Reply = { statusCode: number; headers: Record<string, unknown>; data: any };

async function done(res: Reply): Promise<any> {
  expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
  const id = String(res.headers.location).split('/actions/')[1] ?? '';
  await waitForAction(api.db, id);
  return (await api.call('GET', `/v1/actions/${id}`)).data.action;
}

async function cluster(id: string): Promise<any> {
  return (await api.call('GET', `/v1/clusters/${id}`)).data.cluster;
}

let serial = 0;
async function newCluster(desired: number, limits: { min?: number; max?: number } = {}) {
  serial += 1;
  const body = {
    name: `sc-${serial}`,
    profile_id: profileId,
    desired_capacity: desired,
    ...(limits.min !== undefined ? { min_size: limits.min } : {}),
    ...(limits.max !== undefined ? { max_size: limits.max } : {}),
  };
  await done(await api.call('POST', '/v1/clusters', { body: { cluster: body } }));
  return (await cluster(`sc-${serial}`)).id as string;
}

async function scalingPolicy(event: string, adjustment: Record<string, unknown>): Promise<string> {
  serial += 1;
  const spec = { type: 'senlin.policy.scaling', version: '1.0', properties: { event, adjustment } };
  const res = await api.call('POST', '/v1/policies', {
    body: { policy: { name: `sp-${serial}`, spec } },
  });
  expect(res.statusCode, JSON.stringify(res.data)).toBe(201);
  return res.data.policy.id;
}

async function act(id: string, body: Record<string, unknown>): Promise<any> {
  return done(await api.call('POST', `/v1/clusters/${id}/actions`, { body }));
}

async function attach(clusterId: string, policyId: string): Promise<void> {
  const action = await act(clusterId, { policy_attach: { policy_id: policyId } });
  expect(action.status, action.status_reason).toBe('SUCCEEDED');
}

async function size(id: string): Promise<number> {
  return (await cluster(id)).nodes.length;
}

async function binding(clusterId: string, policyId: string): Promise<Reply> {
  return api.call('GET', `/v1/clusters/${clusterId}/policies/${policyId}`);
}

describe('scaling policy', () => {
  it('adds the number of nodes a CHANGE_IN_CAPACITY adjustment names', async () => {
    const id = await newCluster(1);
    await attach(id, await scalingPolicy('CLUSTER_SCALE_OUT', { number: 2 }));
    const action = await act(id, { scale_out: {} });
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.creation.count).toBe(2);
    expect(await size(id)).toBe(3);
    expect((await cluster(id)).desired_capacity).toBe(3);
  });

  it('uses the count of the request instead of its adjustment', async () => {
    const id = await newCluster(1);
    await attach(id, await scalingPolicy('CLUSTER_SCALE_OUT', { number: 3 }));
    await act(id, { scale_out: { count: 1 } });
    expect(await size(id)).toBe(2);
  });

  it('removes a percentage of the nodes, cut toward zero', async () => {
    const id = await newCluster(5);
    await attach(
      id,
      await scalingPolicy('CLUSTER_SCALE_IN', { type: 'CHANGE_IN_PERCENTAGE', number: 50 }),
    );
    const action = await act(id, { scale_in: {} });
    expect(action.data.deletion.count).toBe(2);
    expect(await size(id)).toBe(3);
  });

  it('raises a small percentage to min_step', async () => {
    const id = await newCluster(5);
    await attach(
      id,
      await scalingPolicy('CLUSTER_SCALE_OUT', {
        type: 'CHANGE_IN_PERCENTAGE',
        number: 10,
        min_step: 2,
      }),
    );
    await act(id, { scale_out: {} });
    expect(await size(id)).toBe(7);
  });

  it('fails a percentage that rounds to no node when min_step is 0', async () => {
    const id = await newCluster(3);
    const policy = await scalingPolicy('CLUSTER_SCALE_IN', {
      type: 'CHANGE_IN_PERCENTAGE',
      number: 20,
      min_step: 0,
    });
    await attach(id, policy);
    const action = await act(id, { scale_in: {} });
    expect(action.status).toBe('FAILED');
    expect(action.status_reason).toBe(
      `Policy check failure: Failed policy 'sp-${serial}': Invalid count (0) for action 'CLUSTER_SCALE_IN'.`,
    );
    expect(await size(id)).toBe(3);
  });

  it('scales out and in to an EXACT_CAPACITY', async () => {
    const id = await newCluster(1);
    await attach(
      id,
      await scalingPolicy('CLUSTER_SCALE_OUT', { type: 'EXACT_CAPACITY', number: 3 }),
    );
    await attach(
      id,
      await scalingPolicy('CLUSTER_SCALE_IN', { type: 'EXACT_CAPACITY', number: 2 }),
    );
    await act(id, { scale_out: {} });
    expect(await size(id)).toBe(3);
    await act(id, { scale_in: {} });
    expect(await size(id)).toBe(2);
  });

  it('with best_effort removes only down to min_size', async () => {
    const id = await newCluster(3, { min: 2 });
    await attach(id, await scalingPolicy('CLUSTER_SCALE_IN', { number: 5, best_effort: true }));
    const action = await act(id, { scale_in: {} });
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.deletion.count).toBe(1);
    expect(await size(id)).toBe(2);
  });

  it('with best_effort adds only up to max_size', async () => {
    const id = await newCluster(2, { max: 3 });
    await attach(id, await scalingPolicy('CLUSTER_SCALE_OUT', { number: 4, best_effort: true }));
    const action = await act(id, { scale_out: {} });
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(await size(id)).toBe(3);
  });

  it('with best_effort at min_size removes nothing and succeeds', async () => {
    const id = await newCluster(2, { min: 2 });
    await attach(id, await scalingPolicy('CLUSTER_SCALE_IN', { number: 1, best_effort: true }));
    const action = await act(id, { scale_in: {} });
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.deletion.count).toBe(0);
    expect(await size(id)).toBe(2);
  });

  it('with best_effort at max_size adds nothing and succeeds', async () => {
    const id = await newCluster(2, { max: 2 });
    await attach(id, await scalingPolicy('CLUSTER_SCALE_OUT', { number: 1, best_effort: true }));
    const action = await act(id, { scale_out: {} });
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.creation.count).toBe(0);
    expect(await size(id)).toBe(2);
  });

  it('without best_effort refuses to go below min_size', async () => {
    const id = await newCluster(3, { min: 2 });
    const policy = await scalingPolicy('CLUSTER_SCALE_IN', { number: 2 });
    await attach(id, policy);
    const action = await act(id, { scale_in: {} });
    expect(action.status).toBe('FAILED');
    expect(action.status_reason).toBe(
      `Policy check failure: Failed policy 'sp-${serial}': The target capacity (1) is less than the cluster's min_size (2).`,
    );
    expect(await size(id)).toBe(3);
  });

  it('sizes only the scaling action named by its event', async () => {
    const id = await newCluster(3);
    await attach(id, await scalingPolicy('CLUSTER_SCALE_IN', { number: 2 }));
    const out = await act(id, { scale_out: {} });
    expect(out.data.creation?.count).toBeUndefined();
    expect(await size(id)).toBe(4);
  });

  it('records the end of every scaling action of either direction', async () => {
    const id = await newCluster(1);
    const policy = await scalingPolicy('CLUSTER_SCALE_IN', { number: 1 });
    await attach(id, policy);
    expect((await binding(id, policy)).data.cluster_policy.last_op).toBeNull();
    const before = Date.now();
    await act(id, { scale_out: {} });
    const lastOp = (await binding(id, policy)).data.cluster_policy.last_op;
    expect(typeof lastOp).toBe('string');
    expect(Date.parse(`${lastOp}Z`)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('refuses another scaling of its event during its cooldown', async () => {
    const id = await newCluster(3);
    await attach(id, await scalingPolicy('CLUSTER_SCALE_IN', { number: 1, cooldown: 300 }));
    await act(id, { scale_in: {} });
    const again = await api.call('POST', `/v1/clusters/${id}/actions`, { body: { scale_in: {} } });
    expect(again.statusCode).toBe(409);
    expect(errorMessage(again)).toContain('cooldown');
    expect(await size(id)).toBe(2);
  });

  it('stops deciding once detached', async () => {
    const id = await newCluster(1);
    const policy = await scalingPolicy('CLUSTER_SCALE_OUT', { number: 3 });
    await attach(id, policy);
    await act(id, { scale_out: {} });
    expect(await size(id)).toBe(4);
    const detach = await act(id, { policy_detach: { policy_id: policy } });
    expect(detach.status, detach.status_reason).toBe('SUCCEEDED');
    expect((await binding(id, policy)).statusCode).toBe(404);
    const out = await act(id, { scale_out: {} });
    expect(out.data.creation?.count).toBeUndefined();
    expect(await size(id)).toBe(5);
  });
});
