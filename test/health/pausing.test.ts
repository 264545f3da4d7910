/**
 * When health checking stops and starts again: during a scale-out (an action changing the
 * cluster's membership), while the operator has disabled the health policy's binding, and
 * after a hold left by an action that ended without releasing it.
 */
import { describe, expect, it } from 'vitest';
import { fromDbTime } from '../../src/db/codec.js';
import { NOVA_SPEC } from '../api/harness.js';
import { waitForAction } from '../support/engine.js';
import { healthSpec, healthWorld, until } from './support.js';

const world = await healthWorld({ engine: { check_before_scaling: false } });
const manager = await world.manager();
const cloud = world.api.backend;

function watched(clusterId: string) {
  return manager.snapshot().find((s) => s.clusterId === clusterId);
}

function act(clusterId: string, body: unknown) {
  return world.api.call('POST', `/v1/clusters/${clusterId}/actions`, { body });
}

async function firstRecovery(nodeId: string) {
  const [action] = await until(`a recovery of ${nodeId}`, async () => {
    const found = await world.recoveries(nodeId);
    return found.length > 0 && found;
  });
  return action;
}

async function clusterEvents(clusterId: string): Promise<string[]> {
  return (await world.healthEvents(clusterId)).map((e) => String(e.status));
}

describe('health checking around a scale-out', () => {
  it('is suspended while the scale-out runs and resumes after it', async () => {
    const slow = {
      ...NOVA_SPEC,
      properties: { ...NOVA_SPEC.properties, metadata: { simulated_wait_time: '3' } },
    };
    const clusterId = await world.cluster(1, slow);
    await world.attach(clusterId, healthSpec(['NODE_STATUS_POLLING']));
    const [node] = await world.members(clusterId);
    await until('a first check run', () => (watched(clusterId)?.runs ?? 0) >= 1);

    const res = await act(clusterId, { scale_out: { count: 1 } });
    expect(res.statusCode).toBe(202);
    const scaleOut = String(res.headers.location).split('/actions/')[1] ?? '';
    await until('checking to pause', () => watched(clusterId)?.state === 'paused');
    expect(watched(clusterId)?.reason).toContain('CLUSTER_SCALE_OUT');
    cloud.destroyServer(node.physical_id);

    const ended = await waitForAction(world.db, scaleOut);
    expect(ended.status, ended.statusReason).toBe('SUCCEEDED');
    const recovery = await firstRecovery(node.id);
    const recoveryCreated = fromDbTime(recovery.created_at)?.getTime() ?? 0;
    expect(recoveryCreated).toBeGreaterThanOrEqual(Math.floor((ended.endTime ?? 0) * 1000));
    expect(await clusterEvents(clusterId)).toEqual(['PAUSED', 'RESUMED']);
    const done = await waitForAction(world.db, recovery.id);
    expect(done.status, done.statusReason).toBe('SUCCEEDED');
    expect(watched(clusterId)?.state).toBe('active');
  });
});

describe('the operator pausing health checking of a cluster', () => {
  it('stops recoveries while the binding is disabled and resumes them when enabled', async () => {
    const clusterId = await world.cluster(1);
    const policyId = await world.attach(clusterId, healthSpec(['NODE_STATUS_POLLING']));
    const [node] = await world.members(clusterId);

    const off = await world.finished(
      await act(clusterId, { policy_update: { policy_id: policyId, enabled: false } }),
    );
    expect(off.status, off.status_reason).toBe('SUCCEEDED');
    await until('checking to be disabled', () => watched(clusterId)?.state === 'disabled');
    cloud.destroyServer(node.physical_id);
    const skipped = watched(clusterId)?.skipped ?? 0;
    await until('three skipped runs', () => (watched(clusterId)?.skipped ?? 0) >= skipped + 3);
    expect(await world.recoveries(node.id)).toEqual([]);

    const on = await world.finished(
      await act(clusterId, { policy_update: { policy_id: policyId, enabled: true } }),
    );
    expect(on.status, on.status_reason).toBe('SUCCEEDED');
    const recovery = await firstRecovery(node.id);
    expect((await waitForAction(world.db, recovery.id)).status).toBe('SUCCEEDED');
    expect(await clusterEvents(clusterId)).toEqual(['DISABLED', 'ENABLED']);
  });
});

describe('holds on the registration', () => {
  it('pause checking while the holding action runs and no longer once it has ended', async () => {
    const clusterId = await world.cluster(1);
    await world.attach(clusterId, healthSpec(['NODE_STATUS_POLLING']));
    const [node] = await world.members(clusterId);
    // An action holding the registration, as the health policy leaves it during a scale-in.
    const holder = '00000000-0000-4000-8000-00000000a11d';
    await world.db.retry((k) =>
      k
        .insertInto('action')
        .values({
          id: holder,
          name: 'held',
          cluster_id: clusterId,
          target: clusterId,
          action: 'CLUSTER_SCALE_IN',
          cause: 'RPC Request',
          status: 'WAITING',
          created_at: '2020-01-01 00:00:00.000000',
        })
        .execute(),
    );
    const row = await world.db.retry((k) =>
      k
        .selectFrom('health_registry')
        .select('params')
        .where('cluster_id', '=', clusterId)
        .executeTakeFirstOrThrow(),
    );
    const params = {
      ...JSON.parse(row.params ?? '{}'),
      disabled_by: { [holder]: new Date().toISOString() },
    };
    await world.db.retry((k) =>
      k
        .updateTable('health_registry')
        .set({ enabled: 0, params: JSON.stringify(params) })
        .where('cluster_id', '=', clusterId)
        .execute(),
    );
    await until('checking to pause', () => watched(clusterId)?.state === 'paused');
    cloud.destroyServer(node.physical_id);
    const skipped = watched(clusterId)?.skipped ?? 0;
    await until('two skipped runs', () => (watched(clusterId)?.skipped ?? 0) >= skipped + 2);
    expect(await world.recoveries(node.id)).toEqual([]);

    // The holder dies without releasing its hold (its engine failed it).
    await world.db.retry((k) =>
      k.updateTable('action').set({ status: 'FAILED' }).where('id', '=', holder).execute(),
    );
    const recovery = await firstRecovery(node.id);
    expect((await waitForAction(world.db, recovery.id)).status).toBe('SUCCEEDED');
    expect(watched(clusterId)?.state).toBe('active');
  });
});
