/** The health check of Heat stack nodes the health manager's status polling uses. */
import { afterEach, describe, expect, it } from 'vitest';
import { CloudError } from '../../src/drivers/types.js';
import type { NodeView } from '../../src/engine/contracts.js';
import { heatStackBehaviour as heat } from '../../src/profiles/index.js';
import { makeNode, makeProfile, makeRig, type Rig } from '../unit/profile-behaviour-context.js';

let rig: Rig;
afterEach(async () => {
  await rig.cloud.close();
});

const profile = makeProfile('os.heat.stack', {
  template: { heat_template_version: '2016-10-14', resources: {} },
});

async function stackNode(): Promise<NodeView> {
  const node = makeNode();
  return { ...node, physicalId: await heat.create(node, profile, rig.ctx), status: 'ACTIVE' };
}

function healthOf(node: NodeView, detection = 'NODE_STATUS_POLLING'): Promise<boolean> {
  if (!heat.healthCheck) throw new Error('heat stacks have no health check');
  return heat.healthCheck(node, profile, rig.ctx, detection);
}

describe('heat stack health', () => {
  it('is healthy for a complete stack and not for a failed, deleted or missing one', async () => {
    rig = makeRig();
    const node = await stackNode();
    expect(await healthOf(node)).toBe(true);
    rig.cloud.setStackStatus(node.physicalId ?? '', 'CHECK_FAILED');
    expect(await healthOf(node)).toBe(false);
    rig.cloud.setStackStatus(node.physicalId ?? '', 'DELETE_COMPLETE');
    expect(await healthOf(node)).toBe(false);
    expect(await healthOf({ ...node, physicalId: 'no-such-stack' })).toBe(false);
  });

  it('does not apply hypervisor polling to stacks', async () => {
    rig = makeRig();
    const node = await stackNode();
    rig.cloud.setStackStatus(node.physicalId ?? '', 'CREATE_FAILED');
    expect(await healthOf(node, 'HYPERVISOR_STATUS_POLLING')).toBe(true);
  });

  it('raises when the stack cannot be read, so that the node is not judged', async () => {
    rig = makeRig();
    const node = await stackNode();
    rig.cloud.faults.add({
      service: 'orchestration',
      call: 'getStack',
      error: new CloudError(503, 'Heat is down'),
    });
    await expect(healthOf(node)).rejects.toThrow('Heat is down');
  });
});
