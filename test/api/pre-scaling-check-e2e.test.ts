/** Health check before scaling: dead members are found first, not counted as capacity. */
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/common/ids.js';
import { toDbBool, toDbJson } from '../../src/db/codec.js';
import { startEngine, waitForAction } from '../support/engine.js';
import { NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

const profileId: string = (
  await api.call('POST', '/v1/profiles', { body: { profile: { name: 'psc', spec: NOVA_SPEC } } })
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

async function newCluster(name: string, size: number, config: Record<string, unknown> = {}) {
  await done(
    await api.call('POST', '/v1/clusters', {
      body: { cluster: { name, profile_id: profileId, desired_capacity: size, config } },
    }),
  );
  return (await api.call('GET', `/v1/clusters/${name}`)).data.cluster;
}

async function node(id: string) {
  return (await api.call('GET', `/v1/nodes/${id}`)).data.node;
}

describe('health check before scaling', () => {
  it('makes a dead member the victim of a scale-in and reports what it cost', async () => {
    const cluster = await newCluster('psc-in', 3);
    const dead = await node(cluster.nodes[1]);
    api.backend.destroyServer(dead.physical_id);
    const action = await done(
      await api.call('POST', `/v1/clusters/${cluster.id}/actions`, {
        body: { scale_in: { count: 1 } },
      }),
    );
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    const after = (await api.call('GET', `/v1/clusters/${cluster.id}`)).data.cluster;
    expect(after.nodes).toHaveLength(2);
    expect(after.nodes).not.toContain(dead.id);
    for (const id of after.nodes) expect((await node(id)).status).toBe('ACTIVE');
    const events = (
      await api.call('GET', '/v1/events', {
        query: { oid: cluster.id, action: 'CLUSTER_SCALE_IN' },
      })
    ).data.events;
    const check = events.find((e: any) => e.status === 'health_check');
    expect(check.status_reason).toMatch(
      /^Checked 3 node\(s\) in \d+\.\d\d s before scaling: 1 unhealthy\.$/,
    );
  });

  it('recovers dead members with the health policy before a scale-out', async () => {
    const cluster = await newCluster('psc-out', 2);
    await api.db.kysely
      .insertInto('health_registry')
      .values({
        id: newId(),
        cluster_id: cluster.id,
        check_type: 'NODE_STATUS_POLLING',
        interval: 60,
        params: toDbJson({ recover_action: [{ name: 'RECREATE' }] }),
        engine_id: null,
        enabled: toDbBool(true),
      })
      .execute();
    const dead = await node(cluster.nodes[0]);
    api.backend.destroyServer(dead.physical_id);
    const action = await done(
      await api.call('POST', `/v1/clusters/${cluster.id}/actions`, {
        body: { scale_out: { count: 1 } },
      }),
    );
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    const recovered = await node(dead.id);
    expect(recovered.status).toBe('ACTIVE');
    expect(recovered.physical_id).not.toBe(dead.physical_id);
    const after = (await api.call('GET', `/v1/clusters/${cluster.id}`)).data.cluster;
    expect(after.nodes).toHaveLength(3);
    expect(after.status).toBe('ACTIVE');
  });

  it('can be turned off for a cluster', async () => {
    const cluster = await newCluster('psc-off', 2, { 'cluster.check_before_scaling': false });
    const dead = await node(cluster.nodes[0]);
    api.backend.destroyServer(dead.physical_id);
    await done(
      await api.call('POST', `/v1/clusters/${cluster.id}/actions`, {
        body: { scale_out: { count: 1 } },
      }),
    );
    expect((await node(dead.id)).status).toBe('ACTIVE');
    const events = (await api.call('GET', '/v1/events', { query: { oid: cluster.id } })).data
      .events;
    expect(events.some((e: any) => e.status === 'health_check')).toBe(false);
  });
});
