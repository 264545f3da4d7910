/**
 * The batch policy through the API, the engine and the fake cloud: a cluster update runs its
 * node updates in the batches the policy plans, bad nodes first, with pauses between them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fromDbTime } from '../../src/db/codec.js';
import { startEngine, waitForAction } from '../support/engine.js';
import { NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

type Reply = { statusCode: number; headers: Record<string, unknown>; data: any };

async function done(res: Reply): Promise<any> {
  expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
  const id = String(res.headers.location).split('/actions/')[1] ?? '';
  await waitForAction(api.db, id);
  return (await api.call('GET', `/v1/actions/${id}`)).data.action;
}

let serial = 0;
async function newProfile(): Promise<string> {
  serial += 1;
  const spec = {
    ...NOVA_SPEC,
    properties: { ...NOVA_SPEC.properties, metadata: { generation: String(serial) } },
  };
  const res = await api.call('POST', '/v1/profiles', {
    body: { profile: { name: `bp-${serial}`, spec } },
  });
  return res.data.profile.id;
}

async function cluster(id: string): Promise<any> {
  return (await api.call('GET', `/v1/clusters/${id}`)).data.cluster;
}

async function act(id: string, body: Record<string, unknown>): Promise<any> {
  return done(await api.call('POST', `/v1/clusters/${id}/actions`, { body }));
}

async function newCluster(desired: number): Promise<string> {
  serial += 1;
  const profile = await newProfile();
  await done(
    await api.call('POST', '/v1/clusters', {
      body: { cluster: { name: `bc-${serial}`, profile_id: profile, desired_capacity: desired } },
    }),
  );
  return (await cluster(`bc-${serial}`)).id;
}

async function batchPolicy(properties: Record<string, unknown>): Promise<string> {
  serial += 1;
  const spec = { type: 'senlin.policy.batch', version: '1.0', properties };
  const res = await api.call('POST', '/v1/policies', {
    body: { policy: { name: `batch-${serial}`, spec } },
  });
  expect(res.statusCode, JSON.stringify(res.data)).toBe(201);
  return res.data.policy.id;
}

async function attach(clusterId: string, policyId: string): Promise<void> {
  const action = await act(clusterId, { policy_attach: { policy_id: policyId } });
  expect(action.status, action.status_reason).toBe('SUCCEEDED');
}

async function update(clusterId: string): Promise<any> {
  const profile = await newProfile();
  const action = await done(
    await api.call('PATCH', `/v1/clusters/${clusterId}`, {
      body: { cluster: { profile_id: profile } },
    }),
  );
  expect(action.status, action.status_reason).toBe('SUCCEEDED');
  return action;
}

/** The NODE_UPDATE children of a cluster, grouped by the moment they were started together. */
async function observedBatches(clusterId: string): Promise<{ at: number; nodes: string[] }[]> {
  const rows = await api.db.retry((k) =>
    k
      .selectFrom('action')
      .select(['target', 'created_at'])
      .where('action', '=', 'NODE_UPDATE')
      .where('cluster_id', '=', clusterId)
      .execute(),
  );
  const groups = new Map<number, string[]>();
  for (const row of rows) {
    const at = fromDbTime(row.created_at)?.getTime() ?? 0;
    groups.set(at, [...(groups.get(at) ?? []), row.target ?? '']);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([at, nodes]) => ({ at, nodes: nodes.sort() }));
}

describe('batch policy', () => {
  it('updates all nodes but min_in_service at once', async () => {
    const id = await newCluster(4);
    await attach(id, await batchPolicy({ min_in_service: 1, pause_time: 0 }));
    const action = await update(id);
    expect(action.data.update.pause_time).toBe(0);
    expect(action.data.update.plan.map((b: string[]) => b.length)).toEqual([3, 1]);
    const batches = await observedBatches(id);
    expect(batches.map((b) => b.nodes)).toEqual(
      action.data.update.plan.map((b: string[]) => [...b].sort()),
    );
  });

  it('never updates more than max_batch_size nodes at once', async () => {
    const id = await newCluster(5);
    await attach(id, await batchPolicy({ min_in_service: 1, max_batch_size: 2, pause_time: 0 }));
    await update(id);
    expect((await observedBatches(id)).map((b) => b.nodes.length)).toEqual([2, 2, 1]);
    const nodes = await Promise.all(
      (await cluster(id)).nodes.map(
        async (n: string) => (await api.call('GET', `/v1/nodes/${n}`)).data.node,
      ),
    );
    const profile = (await cluster(id)).profile_id;
    expect(nodes.every((n) => n.profile_id === profile && n.status === 'ACTIVE')).toBe(true);
  });

  it('updates half the nodes at a time when min_in_service is not below the size', async () => {
    const id = await newCluster(3);
    await attach(id, await batchPolicy({ min_in_service: 3, pause_time: 0 }));
    await update(id);
    expect((await observedBatches(id)).map((b) => b.nodes.length)).toEqual([2, 1]);
  });

  it('updates nodes in ERROR in the first batch', async () => {
    const id = await newCluster(3);
    const members: string[] = (await cluster(id)).nodes;
    const broken = members[2] ?? '';
    const server = (await api.call('GET', `/v1/nodes/${broken}`)).data.node.physical_id;
    api.backend.setServerStatus(server, 'ERROR');
    await act(id, { check: {} });
    await attach(id, await batchPolicy({ min_in_service: 2, max_batch_size: 1, pause_time: 0 }));
    const action = await done(
      await api.call('PATCH', `/v1/clusters/${id}`, {
        body: { cluster: { profile_id: await newProfile() } },
      }),
    );
    expect(action.data.update.plan[0]).toEqual([broken]);
    expect((await observedBatches(id))[0]?.nodes).toEqual([broken]);
  });

  it('pauses pause_time seconds between batches', async () => {
    const id = await newCluster(2);
    await attach(id, await batchPolicy({ min_in_service: 1, pause_time: 1 }));
    await update(id);
    const [first, second] = await observedBatches(id);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('leaves updates in one batch once detached', async () => {
    const id = await newCluster(3);
    const policy = await batchPolicy({ min_in_service: 2, pause_time: 0 });
    await attach(id, policy);
    const detach = await act(id, { policy_detach: { policy_id: policy } });
    expect(detach.status, detach.status_reason).toBe('SUCCEEDED');
    expect((await api.call('GET', `/v1/clusters/${id}/policies/${policy}`)).statusCode).toBe(404);
    const action = await update(id);
    expect(action.data.update).toBeUndefined();
    expect((await observedBatches(id)).map((b) => b.nodes.length)).toEqual([3]);
  });
});
