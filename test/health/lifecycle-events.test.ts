/**
 * LIFECYCLE_EVENTS: notifications about a cluster's servers (from an in-memory notification
 * source) recover the node they are about, and only that node.
 */
import { describe, expect, it } from 'vitest';
import { NOVA_SPEC } from '../api/harness.js';
import { waitForAction } from '../support/engine.js';
import { healthSpec, healthWorld, MemorySource, resourceEvent, until } from './support.js';

const world = await healthWorld();
const source = new MemorySource();
const manager = await world.manager({ source });
const cloud = world.api.backend;

function watched(clusterId: string) {
  return manager.snapshot().find((s) => s.clusterId === clusterId);
}

async function firstRecovery(nodeId: string) {
  const [action] = await until(`a recovery of ${nodeId}`, async () => {
    const found = await world.recoveries(nodeId);
    return found.length > 0 && found;
  });
  return waitForAction(world.db, action.id);
}

async function eventCluster(size: number): Promise<{ clusterId: string; nodes: any[] }> {
  const clusterId = await world.cluster(size);
  await world.attach(clusterId, healthSpec(['LIFECYCLE_EVENTS']));
  await until('the cluster to be watched', () => watched(clusterId));
  return { clusterId, nodes: await world.members(clusterId) };
}

describe('LIFECYCLE_EVENTS', () => {
  it('recreates the node whose server a notification says was deleted', async () => {
    const { nodes } = await eventCluster(2);
    const [gone, other] = nodes;
    cloud.destroyServer(gone.physical_id);
    await source.emit(
      resourceEvent({ physicalId: gone.physical_id, projectId: 'demo', state: 'DELETED' }),
    );
    const action = await firstRecovery(gone.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
    expect(action.inputs.operation).toBe('RECREATE');
    expect(await world.recoveries(other.id)).toEqual([]);
    const [event] = await world.healthEvents(gone.id);
    expect(event?.status_reason).toContain('LIFECYCLE_EVENTS');
    expect(event?.status_reason).toContain('instance.delete.end');
  });

  it('finds a node that lost its server from the cluster_node_id metadata', async () => {
    const { clusterId, nodes } = await eventCluster(1);
    const [node] = nodes;
    cloud.destroyServer(node.physical_id);
    // A check found the server gone: the node no longer knows its physical id.
    await world.db.retry((k) =>
      k
        .updateTable('node')
        .set({ physical_id: null, status: 'ERROR' })
        .where('id', '=', node.id)
        .execute(),
    );
    await source.emit(
      resourceEvent({
        eventType: 'compute.instance.soft_delete.end',
        physicalId: node.physical_id,
        metadata: { cluster_id: clusterId, cluster_node_id: node.id },
      }),
    );
    const action = await firstRecovery(node.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
    const [after] = await world.members(clusterId);
    expect(after.physical_id).not.toBe(node.physical_id);
    expect(after.status).toBe('ACTIVE');
  });

  it('ignores events that do not mean failure, concern another project or an old server', async () => {
    const { nodes } = await eventCluster(3);
    const [a, b, c] = nodes;
    await source.emit(
      resourceEvent({ eventType: 'instance.update', kind: 'other', physicalId: a.physical_id }),
    );
    await source.emit(resourceEvent({ physicalId: b.physical_id, projectId: 'someone-else' }));
    // A first event recovers c; the event about its old server arriving late changes nothing.
    cloud.destroyServer(c.physical_id);
    await source.emit(resourceEvent({ physicalId: c.physical_id, kind: 'error' }));
    const first = await firstRecovery(c.id);
    expect(first.status, first.statusReason).toBe('SUCCEEDED');
    await source.emit(
      resourceEvent({
        physicalId: c.physical_id,
        metadata: { cluster_node_id: c.id, cluster_id: c.cluster_id },
      }),
    );
    await source.emit(resourceEvent({ physicalId: '', metadata: { cluster_node_id: c.id } }));
    // A last event that does recover a node shows every earlier event was handled.
    cloud.destroyServer(a.physical_id);
    await source.emit(resourceEvent({ physicalId: a.physical_id, kind: 'paused' }));
    await firstRecovery(a.id);
    expect(await world.recoveries(b.id)).toEqual([]);
    expect(await world.recoveries(c.id)).toHaveLength(1);
  });

  it('keeps events that arrive during a scale-out and recovers after it', async () => {
    const slow = {
      ...NOVA_SPEC,
      properties: { ...NOVA_SPEC.properties, metadata: { simulated_wait_time: '2' } },
    };
    const clusterId = await world.cluster(1, slow);
    await world.attach(clusterId, healthSpec(['LIFECYCLE_EVENTS']));
    await until('the cluster to be watched', () => watched(clusterId));
    const [node] = await world.members(clusterId);
    const res = await world.api.call('POST', `/v1/clusters/${clusterId}/actions`, {
      body: { scale_out: { count: 1 } },
    });
    const scaleOut = String(res.headers.location).split('/actions/')[1] ?? '';
    await until('checking to pause', () => watched(clusterId)?.state === 'paused');
    cloud.destroyServer(node.physical_id);
    await source.emit(resourceEvent({ physicalId: node.physical_id }));
    expect(watched(clusterId)?.pendingEvents).toBe(1);
    expect(await world.recoveries(node.id)).toEqual([]);
    const ended = await waitForAction(world.db, scaleOut);
    expect(ended.status, ended.statusReason).toBe('SUCCEEDED');
    const action = await firstRecovery(node.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
  });
  it('polls the nodes once after the bus reconnects, finding what happened meanwhile', async () => {
    const { nodes } = await eventCluster(2);
    const [gone, other] = nodes;
    // The server is deleted while the connection is down: no event ever arrives.
    cloud.destroyServer(gone.physical_id);
    await new Promise((r) => setTimeout(r, 200));
    expect(await world.recoveries(gone.id)).toEqual([]);
    source.reconnected();
    const action = await firstRecovery(gone.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
    expect(await world.recoveries(other.id)).toEqual([]);
  });
});
