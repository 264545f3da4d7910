import { afterAll, describe, expect, it } from 'vitest';
import { FAKE_KINDS } from '../../src/drivers/fake/index.js';
import { startEngine, waitForAction } from '../support/engine.js';
import { NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

describe('deleting a cluster with receivers', () => {
  it('deletes its receivers and releases the queues of message receivers', async () => {
    const p = await api.call('POST', '/v1/profiles', {
      body: { profile: { name: 'rcv', spec: NOVA_SPEC } },
    });
    const c = await api.call('POST', '/v1/clusters', {
      body: { cluster: { name: 'rcv-c', profile_id: p.data.profile.id } },
    });
    await waitForAction(api.db, String(c.headers.location).split('/actions/')[1] ?? '');
    const cid = c.data.cluster.id;
    const hook = await api.call('POST', '/v1/receivers', {
      body: {
        receiver: { name: 'wh', type: 'webhook', cluster_id: cid, action: 'CLUSTER_SCALE_OUT' },
      },
    });
    const mq = await api.call('POST', '/v1/receivers', {
      body: {
        receiver: { name: 'mq', type: 'message', cluster_id: cid, action: 'CLUSTER_SCALE_OUT' },
      },
    });
    expect([hook.statusCode, mq.statusCode]).toEqual([201, 201]);
    const queue = mq.data.receiver.channel.queue_name;
    // senlin-ts does not bind message receivers to a cluster; databases adopted from upstream
    // may have such rows.
    await api.db.kysely
      .updateTable('receiver')
      .set({ cluster_id: cid })
      .where('id', '=', mq.data.receiver.id)
      .execute();
    expect(api.backend.listAll(FAKE_KINDS.queue).map((q) => q.name)).toContain(queue);
    const del = await api.call('DELETE', `/v1/clusters/${cid}`);
    await waitForAction(api.db, String(del.headers.location).split('/actions/')[1] ?? '');
    const left = (await api.call('GET', '/v1/receivers')).data.receivers;
    expect(left, JSON.stringify(left)).toEqual([]);
    expect(api.backend.listAll(FAKE_KINDS.queue).map((q) => q.name)).not.toContain(queue);
  });
});
