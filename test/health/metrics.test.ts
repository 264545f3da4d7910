/**
 * What the health manager reports for monitoring: every node check with its result, and the
 * recoveries it asks for.
 */
import { describe, expect, it } from 'vitest';
import type { EngineMetrics } from '../../src/engine/metrics.js';
import { waitForAction } from '../support/engine.js';
import { healthSpec, healthWorld, until } from './support.js';

const checks: string[] = [];
const recoveries: string[] = [];
const recorder: EngineMetrics = {
  actionStarted: () => undefined,
  actionFinished: () => undefined,
  nodeChecked: (result) => checks.push(result),
  recoveryRequested: (outcome) => recoveries.push(outcome),
};

const world = await healthWorld();
await world.manager({ metrics: recorder });

describe('health manager metrics', () => {
  it('counts healthy checks, the unhealthy one and the recovery it asked for', async () => {
    const clusterId = await world.cluster(2);
    await world.attach(clusterId, healthSpec(['NODE_STATUS_POLLING']));
    await until('healthy checks of both nodes', async () => checks.length >= 2);
    expect(checks.every((c) => c === 'healthy')).toBe(true);
    expect(recoveries).toEqual([]);

    const [victim] = await world.members(clusterId);
    world.api.backend.destroyServer(victim.physical_id);
    const [action] = await until('a recovery', async () => {
      const found = await world.recoveries(victim.id);
      return found.length > 0 && found;
    });
    await waitForAction(world.db, action.id);
    expect(checks).toContain('unhealthy');
    expect(recoveries[0]).toBe('requested');
  });
});
