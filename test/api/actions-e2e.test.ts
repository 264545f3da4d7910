import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, waitForAction } from '../support/engine.js';
import { NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

const fast = await api.call('POST', '/v1/profiles', {
  body: { profile: { name: 'a-fast', spec: NOVA_SPEC } },
});
const slowSpec = {
  ...NOVA_SPEC,
  properties: { ...NOVA_SPEC.properties, metadata: { simulated_wait_time: '3' } },
};
const slow = await api.call('POST', '/v1/profiles', {
  body: { profile: { name: 'a-slow', spec: slowSpec } },
});

async function createNode(name: string, profileId: string) {
  const res = await api.call('POST', '/v1/nodes', {
    body: { node: { name, profile_id: profileId } },
  });
  expect(res.statusCode).toBe(202);
  return String(res.headers.location).split('/actions/')[1] ?? '';
}

describe('actions of the engine', () => {
  it('shows start and end times within the wall-clock bounds of the run', async () => {
    const lower = Date.now() / 1000;
    const id = await createNode('timed', fast.data.profile.id);
    await waitForAction(api.db, id);
    const upper = Date.now() / 1000;
    const { action } = (await api.call('GET', `/v1/actions/${id}`)).data;
    expect(action.status).toBe('SUCCEEDED');
    expect(action.start_time).toBeGreaterThan(lower - 1);
    expect(action.end_time).toBeLessThan(upper + 1);
    expect(action.end_time).toBeGreaterThanOrEqual(action.start_time);
  });

  it('lists only succeeded actions when asked for SUCCEEDED', async () => {
    const res = await api.call('GET', '/v1/actions', { query: { status: 'SUCCEEDED' } });
    expect(res.data.actions.length).toBeGreaterThan(0);
    expect(res.data.actions.every((a: any) => a.status === 'SUCCEEDED')).toBe(true);
  });

  it('stops a running action when asked to cancel it', async () => {
    const id = await createNode('slow', slow.data.profile.id);
    await waitForAction(api.db, id, ['RUNNING']);
    const res = await api.call('PATCH', `/v1/actions/${id}`, {
      body: { action: { status: 'CANCELLED' } },
      version: '1.12',
    });
    expect(res.statusCode).toBe(202);
    const action = await waitForAction(api.db, id);
    expect(action.status).not.toBe('SUCCEEDED');
    expect(action.statusReason).toMatch(/cancel/i);
  });

  it('cancels a running action at once when forced', async () => {
    const id = await createNode('slow-forced', slow.data.profile.id);
    await waitForAction(api.db, id, ['RUNNING']);
    const res = await api.call('PATCH', `/v1/actions/${id}`, {
      body: { action: { status: 'CANCELLED' } },
      query: { force: 'true' },
      version: '1.12',
    });
    expect(res.statusCode).toBe(202);
    const shown = await api.call('GET', `/v1/actions/${id}`);
    expect(shown.data.action).toMatchObject({
      status: 'CANCELLED',
      status_reason: 'Action execution force cancelled',
    });
  });
});
