import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/common/ids.js';
import { insertCluster } from '../../src/db/queries/clusters.js';
import { startEngine, waitForAction } from '../support/engine.js';
import { errorMessage, NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

const profile = await api.call('POST', '/v1/profiles', {
  body: { profile: { name: 'e2e-nova', spec: NOVA_SPEC } },
});
const profileId: string = profile.data.profile.id;

/** Waits for the action of a 202 answer; returns it as the API shows it. */
async function finished(res: { statusCode: number; headers: Record<string, unknown> }) {
  expect(res.statusCode).toBe(202);
  const id = String(res.headers.location).split('/actions/')[1] ?? '';
  await waitForAction(api.db, id);
  return (await api.call('GET', `/v1/actions/${id}`)).data.action;
}

async function activeNode(name: string): Promise<string> {
  const res = await api.call('POST', '/v1/nodes', {
    body: { node: { name, profile_id: profileId } },
  });
  const action = await finished(res);
  expect(action.status).toBe('SUCCEEDED');
  return res.data.node.id;
}

describe('node life cycle', () => {
  it('creates a node whose resource becomes ACTIVE', async () => {
    const before = Date.now() / 1000;
    const res = await api.call('POST', '/v1/nodes', {
      body: { node: { name: 'e2e-node', profile_id: profileId, role: 'member' } },
    });
    const action = await finished(res);
    expect(action.status).toBe('SUCCEEDED');
    expect(action.start_time).toBeGreaterThanOrEqual(Math.floor(before));
    expect(action.end_time).toBeGreaterThanOrEqual(action.start_time);
    const node = (await api.call('GET', `/v1/nodes/${res.data.node.id}`)).data.node;
    expect(node).toMatchObject({ status: 'ACTIVE', role: 'member' });
    expect(node.physical_id).toEqual(expect.any(String));
  });

  it('shows the server details of a created node', async () => {
    const id = await activeNode('e2e-details');
    const res = await api.call('GET', `/v1/nodes/${id}`, { query: { show_details: 'true' } });
    expect(res.data.node.details).toMatchObject({ status: 'ACTIVE' });
  });

  it('checks, recovers and reboots a node', async () => {
    const id = await activeNode('e2e-ops');
    const check = await api.call('POST', `/v1/nodes/${id}/actions`, { body: { check: {} } });
    expect((await finished(check)).status).toBe('SUCCEEDED');
    const recover = await api.call('POST', `/v1/nodes/${id}/actions`, {
      body: { recover: { operation: 'REBUILD' } },
    });
    expect((await finished(recover)).status).toBe('SUCCEEDED');
    const reboot = await api.call('POST', `/v1/nodes/${id}/ops`, {
      body: { reboot: { type: 'SOFT' } },
      version: '1.4',
    });
    expect((await finished(reboot)).status).toBe('SUCCEEDED');
  });

  it('updates the basic properties of a node', async () => {
    const id = await activeNode('node1');
    const res = await api.call('PATCH', `/v1/nodes/${id}`, {
      body: {
        node: { name: 'node_new_name', role: 'admin', metadata: { k2: 'v2' }, tainted: true },
      },
      version: '1.13',
    });
    expect((await finished(res)).status).toBe('SUCCEEDED');
    const node = (await api.call('GET', `/v1/nodes/${id}`, { version: '1.13' })).data.node;
    expect(node).toMatchObject({
      name: 'node_new_name',
      role: 'admin',
      metadata: { k2: 'v2' },
      tainted: true,
    });
  });

  it('deletes a node', async () => {
    const id = await activeNode('e2e-delete');
    const res = await api.call('DELETE', `/v1/nodes/${id}`);
    expect((await finished(res)).status).toBe('SUCCEEDED');
    const gone = await api.call('GET', `/v1/nodes/${id}`);
    expect(gone.statusCode).toBe(404);
    expect(errorMessage(gone)).toBe(`The node '${id}' could not be found.`);
  });

  it('records start and end events for a node action', async () => {
    const id = await activeNode('e2e-events');
    const res = await api.call('GET', '/v1/events', { query: { oid: id } });
    expect(res.data.events.map((e: any) => e.status)).toEqual(['start', 'end']);
    expect(res.data.events[0]).toMatchObject({
      otype: 'NODE',
      oname: 'e2e-events',
      action: 'NODE_CREATE',
      level: 'INFO',
      cluster_id: '',
    });
  });
});

describe('cluster member', () => {
  it('creates a member named from the cluster format', async () => {
    const clusterId = newId();
    await insertCluster(api.db.kysely, {
      id: clusterId,
      name: 'e2e-cluster',
      profileId,
      user: 'demo-user',
      project: 'demo',
      domain: null,
      parent: null,
      initAt: new Date(),
      createdAt: new Date(),
      updatedAt: null,
      minSize: 0,
      maxSize: -1,
      desiredCapacity: 0,
      nextIndex: 1,
      timeout: 3600,
      status: 'ACTIVE',
      statusReason: '',
      metadata: {},
      data: {},
      dependents: {},
      config: { 'node.name.format': 'test-node' },
    });
    const res = await api.call('POST', '/v1/nodes', {
      body: { node: { name: 'test-node', profile_id: profileId, cluster_id: clusterId } },
    });
    expect((await finished(res)).status).toBe('SUCCEEDED');
    const node = (await api.call('GET', `/v1/nodes/${res.data.node.id}`)).data.node;
    expect(node).toMatchObject({
      name: 'test-node',
      cluster_id: clusterId,
      index: 1,
      status: 'ACTIVE',
    });
  });
});
