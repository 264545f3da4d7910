import { afterAll, describe, expect, it } from 'vitest';
import type { FakeCloud } from '../../src/drivers/fake/index.js';
import type { Engine } from '../../src/engine/engine.js';
import { startEngine, testServices, waitForAction } from '../support/engine.js';
import { errorMessage, NOVA_SPEC, SCALING_SPEC, startApi } from './harness.js';

const api = await startApi();
const engine: Engine = await startEngine(
  testServices(api.db, {
    backend: api.conductor.deps.backend as FakeCloud,
    bus: api.conductor.deps.bus,
  }),
);
afterAll(() => engine.stop());

const profile = (
  await api.call('POST', '/v1/profiles', { body: { profile: { name: 'e2e', spec: NOVA_SPEC } } })
).data.profile;

type Response = { statusCode: number; data: any; headers: Record<string, unknown> };

/** Waits for the action of a 202 response and expects it to succeed. */
async function succeeds(res: Response): Promise<string> {
  expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
  const id = String(res.headers.location).split('/actions/')[1] ?? '';
  const action = await waitForAction(api.db, id);
  expect(action.status, action.statusReason).toBe('SUCCEEDED');
  return id;
}

async function createCluster(extra: Record<string, unknown> = {}) {
  const res = await api.call('POST', '/v1/clusters', {
    body: { cluster: { name: 'e2e', profile_id: profile.id, ...extra } },
  });
  await succeeds(res);
  return (await api.call('GET', `/v1/clusters/${res.data.cluster.id}`)).data.cluster;
}

async function act(clusterId: string, body: unknown, version = 'latest') {
  return api.call('POST', `/v1/clusters/${clusterId}/actions`, { body, version });
}

describe('clusters end to end', () => {
  it('creates a cluster whose members are named by its node name format', async () => {
    const cluster = await createCluster({
      desired_capacity: 2,
      config: { 'node.name.format': 'N$2I' },
    });
    expect(cluster).toMatchObject({ status: 'ACTIVE', desired_capacity: 2 });
    expect(cluster.nodes).toHaveLength(2);
    expect(cluster.created_at).toMatch(/Z$/);
    const names = await api.call('GET', `/v1/clusters/${cluster.id}/attrs/name`, {
      version: '1.2',
    });
    expect(names.data.cluster_attributes.map((a: any) => a.value).sort()).toEqual(['N01', 'N02']);
    const details = await api.call('GET', `/v1/clusters/${cluster.id}/attrs/details.status`, {
      version: '1.2',
    });
    expect(details.data.cluster_attributes.map((a: any) => a.value)).toEqual(['ACTIVE', 'ACTIVE']);
  });

  it('updates basic properties', async () => {
    const cluster = await createCluster();
    await succeeds(
      await api.call('PATCH', `/v1/clusters/${cluster.id}`, {
        body: { cluster: { timeout: 240, metadata: { k2: 'v2' }, name: 'cluster_new_name' } },
      }),
    );
    const shown = (await api.call('GET', `/v1/clusters/${cluster.id}`)).data.cluster;
    expect(shown).toMatchObject({ name: 'cluster_new_name', timeout: 240, metadata: { k2: 'v2' } });
  });

  it('resizes and scales', async () => {
    const cluster = await createCluster({ desired_capacity: 1 });
    await succeeds(
      await act(cluster.id, {
        resize: {
          adjustment_type: 'CHANGE_IN_CAPACITY',
          max_size: 20,
          min_step: 1,
          min_size: 1,
          number: 2,
        },
      }),
    );
    await succeeds(await act(cluster.id, { scale_out: { count: '1' } }));
    await succeeds(await act(cluster.id, { scale_in: { count: '1' } }));
    const shown = (await api.call('GET', `/v1/clusters/${cluster.id}`)).data.cluster;
    expect(shown).toMatchObject({ desired_capacity: 3, min_size: 1, max_size: 20 });
    expect(shown.nodes).toHaveLength(3);
  });

  it('removes, adds and replaces member nodes', async () => {
    const cluster = await createCluster({ desired_capacity: 2 });
    const [first, second] = cluster.nodes as string[];
    await succeeds(await act(cluster.id, { del_nodes: { nodes: [first] } }));
    await succeeds(await act(cluster.id, { add_nodes: { nodes: [first] } }));
    const donor = await createCluster({ desired_capacity: 1 });
    const spare = donor.nodes[0] as string;
    await succeeds(await act(donor.id, { del_nodes: { nodes: [spare] } }));
    await succeeds(
      await act(cluster.id, { replace_nodes: { nodes: { [second as string]: spare } } }, '1.3'),
    );
    const shown = (await api.call('GET', `/v1/clusters/${cluster.id}`)).data.cluster;
    expect([...shown.nodes].sort()).toEqual([first, spare].sort());
  });

  it('attaches, updates and detaches a policy', async () => {
    const cluster = await createCluster();
    const policy = (
      await api.call('POST', '/v1/policies', {
        body: { policy: { name: 'sp', spec: SCALING_SPEC } },
      })
    ).data.policy;
    await succeeds(
      await act(cluster.id, { policy_attach: { enabled: true, policy_id: policy.id } }),
    );
    const listed = await api.call('GET', `/v1/clusters/${cluster.id}/policies`);
    expect(listed.data.cluster_policies).toHaveLength(1);
    expect(listed.data.cluster_policies[0]).toMatchObject({
      policy_id: policy.id,
      cluster_id: cluster.id,
      enabled: true,
      policy_type: 'senlin.policy.scaling-1.0',
    });
    await succeeds(
      await act(cluster.id, { policy_update: { enabled: false, policy_id: policy.id } }),
    );
    const shown = await api.call('GET', `/v1/clusters/${cluster.id}/policies/${policy.id}`);
    expect(shown.data.cluster_policy.enabled).toBe(false);
    await succeeds(await act(cluster.id, { policy_detach: { policy_id: policy.id } }));
    expect((await api.call('GET', `/v1/clusters/${cluster.id}/policies`)).data).toEqual({
      cluster_policies: [],
    });
  });

  it('checks, recovers and operates on the members', async () => {
    const cluster = await createCluster({ desired_capacity: 1 });
    await succeeds(await act(cluster.id, { check: {} }));
    await succeeds(await act(cluster.id, { recover: { operation: 'rebuild' } }));
    await succeeds(
      await api.call('POST', `/v1/clusters/${cluster.id}/ops`, {
        body: { reboot: { params: { type: 'SOFT' } } },
      }),
    );
  });

  it('completes the lifecycle of a finished action by its token', async () => {
    const cluster = await createCluster({ desired_capacity: 1 });
    const scaled = await succeeds(await act(cluster.id, { scale_out: { count: '1' } }));
    const res = await act(cluster.id, { complete_lifecycle: { lifecycle_action_token: scaled } });
    expect(await succeeds(res)).toBe(scaled);
  });

  it('deletes a cluster with an attached policy', async () => {
    const cluster = await createCluster({ desired_capacity: 1 });
    const policy = (
      await api.call('POST', '/v1/policies', {
        body: { policy: { name: 'dp', spec: SCALING_SPEC } },
      })
    ).data.policy;
    await succeeds(await act(cluster.id, { policy_attach: { policy_id: policy.id } }));
    await succeeds(await api.call('DELETE', `/v1/clusters/${cluster.id}`));
    const gone = await api.call('GET', `/v1/clusters/${cluster.id}`);
    expect(gone.statusCode).toBe(404);
    expect(errorMessage(gone)).toBe(`The cluster '${cluster.id}' could not be found.`);
  });
});
