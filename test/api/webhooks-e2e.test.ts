import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/common/ids.js';
import { getCluster, insertCluster } from '../../src/db/queries/clusters.js';
import { startEngine, waitForAction } from '../support/engine.js';
import { NOVA_SPEC, startApi } from './harness.js';

const api = await startApi({ config: { receiver: { host: 'senlin.example' } } });
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

const profile = await api.call('POST', '/v1/profiles', {
  body: { profile: { name: 'wh-nova', spec: NOVA_SPEC } },
});

async function activeCluster(name: string): Promise<string> {
  const id = newId();
  await insertCluster(api.db.kysely, {
    id,
    name,
    profileId: profile.data.profile.id,
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
    config: {},
  });
  return id;
}

describe('webhook trigger end to end', () => {
  it('runs the receiver action to success when the alarm URL is posted without a token', async () => {
    const clusterId = await activeCluster('wh-resize');
    const created = await api.call('POST', '/v1/receivers', {
      body: {
        receiver: {
          name: 'wh',
          type: 'webhook',
          cluster_id: clusterId,
          action: 'CLUSTER_RESIZE',
          params: { max_size: 2 },
        },
      },
    });
    const url = new URL(created.data.receiver.channel.alarm_url);
    const res = await api.call('POST', `${url.pathname}${url.search}`, { as: {} });
    expect(res.statusCode).toBe(202);
    const action = await waitForAction(api.db, res.data.action);
    expect(action.status).toBe('SUCCEEDED');
    expect((await getCluster(api.db.kysely, clusterId))?.maxSize).toBe(2);
  });

  it('scales a cluster out with the count given in the body', async () => {
    const clusterId = await activeCluster('wh-scale');
    const created = await api.call('POST', '/v1/receivers', {
      body: {
        receiver: {
          name: 'wh2',
          type: 'webhook',
          cluster_id: clusterId,
          action: 'CLUSTER_SCALE_OUT',
        },
      },
    });
    const url = new URL(created.data.receiver.channel.alarm_url);
    const res = await api.call('POST', `${url.pathname}${url.search}`, {
      as: {},
      body: { count: 2 },
    });
    const action = await waitForAction(api.db, res.data.action);
    expect(action.status).toBe('SUCCEEDED');
    const nodes = await api.call('GET', '/v1/nodes', { query: { cluster_id: clusterId } });
    expect(nodes.data.nodes).toHaveLength(2);
  });
});
