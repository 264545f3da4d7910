import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, waitForAction } from '../support/engine.js';
import { NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

async function cluster(name: string, metadata: Record<string, string> = {}) {
  const spec = { ...NOVA_SPEC, properties: { ...NOVA_SPEC.properties, metadata } };
  const p = await api.call('POST', '/v1/profiles', {
    body: { profile: { name: `p-${name}`, spec } },
  });
  const res = await api.call('POST', '/v1/clusters', {
    body: { cluster: { name, profile_id: p.data.profile.id, desired_capacity: 2 } },
  });
  await waitForAction(api.db, String(res.headers.location).split('/actions/')[1] ?? '');
  return res.data.cluster.id as string;
}

describe('events of actions', () => {
  it('records the start and end of a cluster action but not of its derived node actions', async () => {
    const id = await cluster('ev-ok');
    const events = (await api.call('GET', '/v1/events', { query: { cluster_id: id } })).data.events;
    expect(events.map((e: any) => [e.otype, e.action, e.status, e.level])).toEqual([
      ['CLUSTER', 'CLUSTER_CREATE', 'start', 'INFO'],
      ['CLUSTER', 'CLUSTER_CREATE', 'end', 'INFO'],
    ]);
    expect(events[0]).toMatchObject({
      oid: id,
      oname: 'ev-ok',
      cluster_id: id,
      user: 'demo-user',
      project: 'demo',
    });
    expect(events[0].timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
  });

  it('records failures at level ERROR, which the 1.15 level filter finds', async () => {
    const id = await cluster('ev-fail', { simulated_fail: 'create' });
    const failed = (await api.call('GET', '/v1/events', { query: { oid: id, level: 'gte:WARN' } }))
      .data.events;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      level: 'ERROR',
      status: 'error',
      status_reason: 'Failed in creating nodes.',
    });
    const info = (
      await api.call('GET', '/v1/events', { query: { oid: id, level: 'INFO' }, version: '1.14' })
    ).data.events;
    expect(info.map((e: any) => e.status)).toEqual(['start']);
  });
});
