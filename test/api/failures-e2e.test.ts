/**
 * Failure paths through the API, against the engine and the fake cloud: a node that cannot
 * be created, a timeout, cancel, pause/resume, and a lock conflict.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, waitForAction } from '../support/engine.js';
import { errorMessage, startApi } from './harness.js';

const api = await startApi();
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

function spec(metadata: Record<string, string> = {}) {
  return {
    type: 'os.nova.server',
    version: '1.0',
    properties: {
      flavor: 'm1.tiny',
      image: 'cirros-0.4.0-x86_64-disk',
      networks: [{ network: 'private' }],
      metadata,
    },
  };
}

async function profile(name: string, metadata: Record<string, string> = {}): Promise<string> {
  const res = await api.call('POST', '/v1/profiles', {
    body: { profile: { name, spec: spec(metadata) } },
  });
  expect(res.statusCode).toBe(201);
  return res.data.profile.id;
}

function actionOf(res: { statusCode: number; headers: Record<string, unknown> }): string {
  expect(res.statusCode).toBe(202);
  return String(res.headers.location).split('/actions/')[1] ?? '';
}

async function show(id: string) {
  return (await api.call('GET', `/v1/actions/${id}`)).data.action;
}

describe('failures through the API', () => {
  it('reports a cluster whose nodes cannot be created, and can delete it', async () => {
    const p = await profile('broken', { simulated_fail: 'create' });
    const create = await api.call('POST', '/v1/clusters', {
      body: { cluster: { name: 'broken-c', profile_id: p, desired_capacity: 2 } },
    });
    await waitForAction(api.db, actionOf(create));
    const action = await show(actionOf(create));
    expect(action).toMatchObject({ status: 'FAILED', status_reason: 'Failed in creating nodes.' });
    const cluster = (await api.call('GET', '/v1/clusters/broken-c')).data.cluster;
    expect(cluster.status).toBe('WARNING');
    const nodes = (await api.call('GET', '/v1/nodes', { query: { cluster_id: 'broken-c' } })).data
      .nodes;
    expect(nodes.map((n: any) => n.status)).toEqual(['ERROR', 'ERROR']);
    const del = await api.call('DELETE', '/v1/clusters/broken-c');
    await waitForAction(api.db, actionOf(del));
    expect((await api.call('GET', '/v1/clusters/broken-c')).statusCode).toBe(404);
  });

  it('fails a cluster action that runs out of time', async () => {
    const p = await profile('slow5', { simulated_wait_time: '5' });
    const create = await api.call('POST', '/v1/clusters', {
      body: { cluster: { name: 'slow-c', profile_id: p, desired_capacity: 1, timeout: 1 } },
    });
    await waitForAction(api.db, actionOf(create));
    const action = await show(actionOf(create));
    expect(action.status).toBe('FAILED');
    expect(action.status_reason).toMatch(/^CLUSTER_CREATE \[[0-9a-f]{8}\] timeout$/);
  });

  it('cancels a running action with PATCH at 1.12', async () => {
    const p = await profile('slow3', { simulated_wait_time: '3' });
    const create = await api.call('POST', '/v1/clusters', {
      body: { cluster: { name: 'cancel-c', profile_id: p, desired_capacity: 2 } },
    });
    const id = actionOf(create);
    await waitForAction(api.db, id, ['WAITING']);
    const patch = await api.call('PATCH', `/v1/actions/${id}`, {
      version: '1.12',
      body: { action: { status: 'CANCELLED' } },
    });
    expect(patch.statusCode).toBe(202);
    expect(patch.headers['openstack-api-version']).toBeUndefined();
    await waitForAction(api.db, id);
    expect((await show(id)).status).toBe('CANCELLED');
  });

  it('pauses and resumes an action at 1.15', async () => {
    const p = await profile('quick');
    const create = await api.call('POST', '/v1/clusters', {
      body: { cluster: { name: 'pause-c', profile_id: p, desired_capacity: 0 } },
    });
    await waitForAction(api.db, actionOf(create));
    const scale = await api.call('POST', '/v1/clusters/pause-c/actions', {
      body: { scale_out: { count: 3 } },
    });
    const id = actionOf(scale);
    const paused = await api.call('PATCH', `/v1/actions/${id}`, {
      version: '1.15',
      body: { action: { status: 'SUSPENDED' } },
    });
    expect(paused.statusCode).toBe(202);
    await waitForAction(api.db, id, ['SUSPENDED']);
    expect((await show(id)).status).toBe('SUSPENDED');
    const refused = await api.call('POST', '/v1/clusters/pause-c/actions', {
      body: { scale_in: { count: 1 } },
    });
    expect(refused.statusCode).toBe(409);
    const resumed = await api.call('PATCH', `/v1/actions/${id}`, {
      version: '1.15',
      body: { action: { status: 'RESUMED' } },
    });
    expect(resumed.statusCode).toBe(202);
    await waitForAction(api.db, id);
    expect((await show(id)).status).toBe('SUCCEEDED');
    expect((await api.call('GET', '/v1/clusters/pause-c')).data.cluster.nodes).toHaveLength(3);
  });

  it('refuses a scale-out on a locked cluster with ResourceIsLocked', async () => {
    const p = await profile('slow2', { simulated_wait_time: '2' });
    const create = await api.call('POST', '/v1/clusters', {
      body: { cluster: { name: 'lock-c', profile_id: p, desired_capacity: 0 } },
    });
    await waitForAction(api.db, actionOf(create));
    const cluster = (await api.call('GET', '/v1/clusters/lock-c')).data.cluster;
    const first = actionOf(
      await api.call('POST', `/v1/clusters/${cluster.id}/actions`, {
        body: { scale_out: { count: 1 } },
      }),
    );
    await waitForAction(api.db, first, ['WAITING']);
    const second = await api.call('POST', `/v1/clusters/${cluster.id}/actions`, {
      body: { scale_out: { count: 1 } },
    });
    expect(second.statusCode).toBe(409);
    expect(errorMessage(second)).toBe(
      `CLUSTER_SCALE_OUT for cluster '${cluster.id}' cannot be completed because it is already locked.`,
    );
    await waitForAction(api.db, first);
  });
});
