/**
 * LIFECYCLE_EVENTS right after the health policy is attached: the registration is new and no
 * manager owns it until the next sweep (here half a minute away), yet an event about a node of
 * that cluster is handled at once rather than lost.
 */
import { describe, expect, it } from 'vitest';
import { waitForAction } from '../support/engine.js';
import { healthSpec, healthWorld, MemorySource, resourceEvent, until } from './support.js';

// sweeps every 30 s: only the event can make the manager claim the new registration in time
const world = await healthWorld({ DEFAULT: { periodic_interval: 60 } });
const source = new MemorySource();
const manager = await world.manager({ source });
const cloud = world.api.backend;

function watched(clusterId: string) {
  return manager.snapshot().find((s) => s.clusterId === clusterId);
}

describe('an event about a cluster whose registration is not claimed yet', () => {
  it('makes the manager claim the registration and recover the node', async () => {
    await until('the first sweep', async () => (await manager.sweep()).watching === 0);
    const clusterId = await world.cluster(2);
    await world.attach(clusterId, healthSpec(['LIFECYCLE_EVENTS']));
    expect(watched(clusterId)).toBeUndefined();
    const [gone, other] = await world.members(clusterId);
    cloud.destroyServer(gone.physical_id);
    await source.emit(resourceEvent({ physicalId: gone.physical_id }));
    expect(watched(clusterId)?.checkType).toBe('LIFECYCLE_EVENTS');
    const [recovery] = await until(
      'a recovery',
      async () => {
        const found = await world.recoveries(gone.id);
        return found.length > 0 && found;
      },
      5_000,
    );
    const action = await waitForAction(world.db, recovery.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
    expect(await world.recoveries(other.id)).toEqual([]);
  });

  it('leaves a polling-only registration to the next sweep', async () => {
    const clusterId = await world.cluster(1);
    await world.attach(clusterId, healthSpec(['NODE_STATUS_POLLING'], { interval: 60 }));
    const [node] = await world.members(clusterId);
    cloud.destroyServer(node.physical_id);
    await source.emit(resourceEvent({ physicalId: node.physical_id }));
    expect(watched(clusterId)).toBeUndefined();
    expect(await world.recoveries(node.id)).toEqual([]);
  });
});
