/**
 * The health manager on the fake cloud: nodes made unhealthy are found by status and
 * hypervisor polling and recovered the way the policy says, through NODE_RECOVER actions
 * acting for the cluster owner, with events.
 */
import { describe, expect, it } from 'vitest';
import { waitForAction } from '../support/engine.js';
import { healthSpec, healthWorld, until } from './support.js';

const world = await healthWorld();
const manager = await world.manager();
const cloud = world.api.backend;

function watched(clusterId: string) {
  return manager.snapshot().find((s) => s.clusterId === clusterId);
}

/** Waits for the first NODE_RECOVER of a node to end; returns it. */
async function recovered(nodeId: string) {
  const [action] = await until(`a recovery of ${nodeId}`, async () => {
    const found = await world.recoveries(nodeId);
    return found.length > 0 && found;
  });
  return waitForAction(world.db, action.id);
}

describe('NODE_STATUS_POLLING', () => {
  it('recreates a node whose server was destroyed, acting for the cluster owner', async () => {
    const clusterId = await world.cluster(2);
    await world.attach(clusterId, healthSpec(['NODE_STATUS_POLLING']));
    const [victim, other] = await world.members(clusterId);
    cloud.destroyServer(victim.physical_id);

    const action = await recovered(victim.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
    expect(action.cause).toBe('RPC Request');
    expect(action.inputs).toMatchObject({ operation: 'RECREATE', delete_timeout: 5 });
    expect(action.user).toBe('demo-user');
    expect(action.project).toBe('demo');

    const after = (await world.members(clusterId)).find((n) => n.id === victim.id);
    expect(after.status).toBe('ACTIVE');
    expect(after.physical_id).not.toBe(victim.physical_id);
    expect(cloud.listAllServers().some((s) => s.id === after.physical_id)).toBe(true);
    expect(await world.recoveries(other.id)).toEqual([]);

    const events = await world.healthEvents(victim.id);
    expect(events[0]).toMatchObject({ status: 'UNHEALTHY', otype: 'NODE', cluster_id: clusterId });
    expect(events[0]?.status_reason).toContain('NODE_STATUS_POLLING');
    expect(events[0]?.status_reason).toContain('RECREATE');
    const listed = await world.api.call('GET', '/v1/events', {
      query: { action: 'NODE_CHECK', oid: victim.id },
    });
    expect(listed.statusCode, JSON.stringify(listed.data)).toBe(200);
    expect(listed.data.events.map((e: any) => [e.level, e.status])).toContainEqual([
      'WARN',
      'UNHEALTHY',
    ]);
    const recoverEvents = await world.db.retry((k) =>
      k
        .selectFrom('event')
        .select(['status'])
        .where('oid', '=', victim.id)
        .where('action', '=', 'NODE_RECOVER')
        .execute(),
    );
    expect(recoverEvents.map((e) => e.status)).toEqual(expect.arrayContaining(['start', 'end']));
  });

  it('reboots a node whose server is in error when the policy says REBOOT', async () => {
    const clusterId = await world.cluster(1);
    await world.attach(clusterId, healthSpec(['NODE_STATUS_POLLING'], { recovery: 'REBOOT' }));
    const [node] = await world.members(clusterId);
    cloud.setServerStatus(node.physical_id, 'ERROR');

    const action = await recovered(node.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
    expect(action.inputs.operation).toBe('REBOOT');
    const server = cloud.listAllServers().find((s) => s.id === node.physical_id);
    expect(server?.status).toBe('ACTIVE');
    const [after] = await world.members(clusterId);
    expect(after.physical_id).toBe(node.physical_id);
  });

  it('rebuilds a node whose server is in error when the policy says REBUILD', async () => {
    const clusterId = await world.cluster(1);
    await world.attach(clusterId, healthSpec(['NODE_STATUS_POLLING'], { recovery: 'REBUILD' }));
    const [node] = await world.members(clusterId);
    cloud.setServerStatus(node.physical_id, 'ERROR');

    const action = await recovered(node.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
    expect(action.inputs.operation).toBe('REBUILD');
    const [after] = await world.members(clusterId);
    expect(after.physical_id).toBe(node.physical_id);
    expect(after.status).toBe('ACTIVE');
  });

  it('fences the compute host when the policy asks for it', async () => {
    const clusterId = await world.cluster(1);
    await world.attach(clusterId, healthSpec(['NODE_STATUS_POLLING'], { fencing: ['COMPUTE'] }));
    const [node] = await world.members(clusterId);
    cloud.destroyServer(node.physical_id);
    const action = await recovered(node.id);
    expect(action.inputs.operation_params).toEqual({ fence_compute: true });
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
  });

  it('leaves a node updated within node_update_timeout alone', async () => {
    const clusterId = await world.cluster(1);
    await world.attach(clusterId, healthSpec(['NODE_STATUS_POLLING'], { nodeUpdateTimeout: 600 }));
    const [node] = await world.members(clusterId);
    cloud.destroyServer(node.physical_id);
    const start = watched(clusterId)?.runs ?? 0;
    await until('three more check runs', () => (watched(clusterId)?.runs ?? 0) >= start + 3);
    expect(await world.recoveries(node.id)).toEqual([]);
  });

  it('recreates a Heat stack node whose stack failed', async () => {
    const clusterId = await world.cluster(1, {
      type: 'os.heat.stack',
      version: '1.0',
      properties: { template: { heat_template_version: '2016-10-14', resources: {} } },
    });
    await world.attach(clusterId, healthSpec(['NODE_STATUS_POLLING']));
    const [node] = await world.members(clusterId);
    cloud.setStackStatus(node.physical_id, 'UPDATE_FAILED');

    const action = await recovered(node.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
    const [after] = await world.members(clusterId);
    expect(after.physical_id).not.toBe(node.physical_id);
    const stack = cloud.listAllStacks().find((s) => s.id === after.physical_id);
    expect(stack?.stack_status).toBe('CREATE_COMPLETE');
  });
});

describe('HYPERVISOR_STATUS_POLLING', () => {
  it('recreates a node whose compute host went down on another host', async () => {
    const clusterId = await world.cluster(1);
    await world.attach(clusterId, healthSpec(['HYPERVISOR_STATUS_POLLING']));
    const [node] = await world.members(clusterId);
    const server = cloud.listAllServers().find((s) => s.id === node.physical_id);
    const host = String(server?.['OS-EXT-SRV-ATTR:host']);
    expect(['host1', 'host2']).toContain(host);
    cloud.setHypervisorState(host, 'down');
    try {
      const action = await recovered(node.id);
      expect(action.status, action.statusReason).toBe('SUCCEEDED');
      const [after] = await world.members(clusterId);
      const moved = cloud.listAllServers().find((s) => s.id === after.physical_id);
      expect(moved?.['OS-EXT-SRV-ATTR:host']).not.toBe(host);
      const events = await world.healthEvents(node.id);
      expect(events[0]?.status_reason).toContain('HYPERVISOR_STATUS_POLLING');
    } finally {
      cloud.setHypervisorState(host, 'up');
    }
  });

  it('does not recover a node whose server is merely stopped', async () => {
    const clusterId = await world.cluster(1);
    await world.attach(clusterId, healthSpec(['HYPERVISOR_STATUS_POLLING']));
    const [node] = await world.members(clusterId);
    cloud.setServerStatus(node.physical_id, 'SHUTOFF');
    const start = watched(clusterId)?.runs ?? 0;
    await until('three more check runs', () => (watched(clusterId)?.runs ?? 0) >= start + 3);
    expect(await world.recoveries(node.id)).toEqual([]);
  });
});

describe('recovery_conditional', () => {
  it('with ALL_FAILED recovers only when every mode fails', async () => {
    const clusterId = await world.cluster(1);
    await world.attach(
      clusterId,
      healthSpec(['NODE_STATUS_POLLING', 'HYPERVISOR_STATUS_POLLING'], {
        conditional: 'ALL_FAILED',
      }),
    );
    const [node] = await world.members(clusterId);
    cloud.setServerStatus(node.physical_id, 'ERROR');
    const start = watched(clusterId)?.runs ?? 0;
    await until('three more check runs', () => (watched(clusterId)?.runs ?? 0) >= start + 3);
    expect(await world.recoveries(node.id)).toEqual([]);
  });

  it('with ANY_FAILED recovers when one mode fails', async () => {
    const clusterId = await world.cluster(1);
    await world.attach(
      clusterId,
      healthSpec(['HYPERVISOR_STATUS_POLLING', 'NODE_STATUS_POLLING'], {
        conditional: 'ANY_FAILED',
      }),
    );
    const [node] = await world.members(clusterId);
    cloud.setServerStatus(node.physical_id, 'ERROR');
    const action = await recovered(node.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
  });
});
