/**
 * desired_capacity belongs to the user (engine contract §11.6): only explicit membership
 * requests change it; checks, recoveries and failing nodes never do.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, waitForAction } from '../support/engine.js';
import { NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

const profileId: string = (
  await api.call('POST', '/v1/profiles', { body: { profile: { name: 'dc', spec: NOVA_SPEC } } })
).data.profile.id;

async function done(res: {
  statusCode: number;
  headers: Record<string, unknown>;
  data: any;
}): Promise<any> {
  expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
  const id = String(res.headers.location).split('/actions/')[1] ?? '';
  await waitForAction(api.db, id);
  return (await api.call('GET', `/v1/actions/${id}`)).data.action;
}

async function cluster(name: string) {
  return (await api.call('GET', `/v1/clusters/${name}`)).data.cluster;
}

async function newCluster(name: string, desired: number): Promise<string> {
  await done(
    await api.call('POST', '/v1/clusters', {
      body: { cluster: { name, profile_id: profileId, desired_capacity: desired } },
    }),
  );
  return (await cluster(name)).id;
}

async function orphan(name: string): Promise<string> {
  const res = await api.call('POST', '/v1/nodes', {
    body: { node: { name, profile_id: profileId } },
  });
  await done(res);
  return res.data.node.id;
}

describe('desired capacity', () => {
  it('is set by resize and scaling to the size the request asks for', async () => {
    const id = await newCluster('dc-resize', 2);
    await done(
      await api.call('POST', `/v1/clusters/${id}/actions`, {
        body: { resize: { adjustment_type: 'EXACT_CAPACITY', number: 4 } },
      }),
    );
    expect((await cluster(id)).desired_capacity).toBe(4);
    await done(
      await api.call('POST', `/v1/clusters/${id}/actions`, { body: { scale_in: { count: 1 } } }),
    );
    expect((await cluster(id)).desired_capacity).toBe(3);
  });

  it('grows with added nodes and is unchanged by replacing nodes', async () => {
    const id = await newCluster('dc-add', 1);
    const extra = await orphan('dc-extra');
    await done(
      await api.call('POST', `/v1/clusters/${id}/actions`, {
        body: { add_nodes: { nodes: [extra] } },
      }),
    );
    expect((await cluster(id)).desired_capacity).toBe(2);
    const spare = await orphan('dc-spare');
    const replace = await done(
      await api.call('POST', `/v1/clusters/${id}/actions`, {
        version: '1.3',
        body: { replace_nodes: { nodes: { [extra]: spare } } },
      }),
    );
    expect(replace.status, replace.status_reason).toBe('SUCCEEDED');
    expect((await cluster(id)).desired_capacity).toBe(2);
  });

  it('shrinks with deleted nodes', async () => {
    const id = await newCluster('dc-del', 3);
    const [first] = (await cluster(id)).nodes;
    await done(
      await api.call('POST', `/v1/clusters/${id}/actions`, {
        body: { del_nodes: { nodes: [first] } },
      }),
    );
    expect((await cluster(id)).desired_capacity).toBe(2);
  });

  it('follows user node creates and deletes in the cluster', async () => {
    const id = await newCluster('dc-node', 1);
    const created = await api.call('POST', '/v1/nodes', {
      body: { node: { name: 'x', profile_id: profileId, cluster_id: id } },
    });
    await done(created);
    expect((await cluster(id)).desired_capacity).toBe(2);
    await done(await api.call('DELETE', `/v1/nodes/${created.data.node.id}`));
    expect((await cluster(id)).desired_capacity).toBe(1);
  });

  it('is never changed by checks, recoveries or failing nodes', async () => {
    const id = await newCluster('dc-stable', 2);
    const [node] = (await cluster(id)).nodes;
    const server = (await api.call('GET', `/v1/nodes/${node}`)).data.node.physical_id;
    api.backend.setServerStatus(server, 'ERROR');
    await done(await api.call('POST', `/v1/clusters/${id}/actions`, { body: { check: {} } }));
    expect((await cluster(id)).desired_capacity).toBe(2);
    expect((await api.call('GET', `/v1/nodes/${node}`)).data.node.status).toBe('ERROR');
    await done(
      await api.call('POST', `/v1/clusters/${id}/actions`, {
        body: { recover: { check_capacity: true } },
      }),
    );
    const after = await cluster(id);
    expect(after.desired_capacity).toBe(2);
    expect(after.status).toBe('ACTIVE');
  });
});
