import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCloud, clusterServers, serverOrNull } from '../support/cloud-checks.js';
import { uniqueName } from '../support/lab.js';
import { runCleanups, SenlinClient } from '../support/senlin.js';
import { novaSpec, policySpec } from '../support/specs.js';

// Servers deleted behind senlin-ts's back: `cluster check` finds the missing one and `cluster
// recover` makes a new server for its node; with a health policy polling the nodes, the health
// manager does both by itself.
const api = new SenlinClient();
const cleanups: (() => Promise<unknown>)[] = [];
let profileId = '';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function newCluster(prefix: string, size: number): Promise<string> {
  const created = await api.createCluster({
    name: uniqueName(prefix),
    profile_id: profileId,
    desired_capacity: size,
    min_size: 0,
    max_size: 4,
  });
  cleanups.push(() => api.deleteCluster(created.id));
  expect(created.action.status, created.action.status_reason).toBe('SUCCEEDED');
  return created.id;
}

/** Deletes a server directly in Nova (as the admin) and waits until it is gone. */
async function deleteBehindTheBack(serverId: string): Promise<void> {
  await adminCloud.compute.deleteServer(serverId);
  await adminCloud.compute.waitForServerDelete(serverId, { timeout: 120 });
}

beforeAll(async () => {
  profileId = await api.createProfile(uniqueName('chk-nova'), novaSpec());
  cleanups.push(() => api.request('DELETE', `/v1/profiles/${profileId}`));
});

afterAll(async () => {
  await runCleanups(cleanups);
});

describe('a server deleted behind senlin-ts', () => {
  it('is found by cluster check and recreated by cluster recover', async () => {
    const clusterId = await newCluster('chk', 2);
    const nodes = await api.clusterNodes(clusterId);
    const victim = nodes[0];
    const survivor = nodes[1];
    await deleteBehindTheBack(victim.physical_id);

    const check = await api.act('POST', `/v1/clusters/${clusterId}/actions`, { check: {} });
    expect(['SUCCEEDED', 'FAILED']).toContain(check.status);
    const checked = await api.node(victim.id);
    expect(checked.status).toBe('ERROR');
    expect(checked.status_reason).not.toBe('');
    expect((await api.node(survivor.id)).status).toBe('ACTIVE');

    await api.actOk('POST', `/v1/clusters/${clusterId}/actions`, {
      recover: { operation: 'RECREATE' },
    });
    const recovered = await api.node(victim.id);
    expect(recovered.status).toBe('ACTIVE');
    expect(recovered.physical_id).not.toBe(victim.physical_id);
    const server = await serverOrNull(recovered.physical_id);
    expect(server?.status).toBe('ACTIVE');
    expect((server?.metadata as Record<string, string> | undefined)?.cluster_node_id).toBe(
      victim.id,
    );
    expect((await api.node(survivor.id)).physical_id).toBe(survivor.physical_id);
    expect(await clusterServers(clusterId)).toHaveLength(2);
    expect((await api.cluster(clusterId)).status).toBe('ACTIVE');
  });

  it('is recreated by the health manager of a health policy polling the nodes', async () => {
    const clusterId = await newCluster('hm', 1);
    const policy = await api.createPolicy(
      uniqueName('health'),
      policySpec('senlin.policy.health', '1.1', {
        detection: {
          detection_modes: [{ type: 'NODE_STATUS_POLLING' }],
          interval: 10,
          node_update_timeout: 10,
          recovery_conditional: 'ANY_FAILED',
        },
        recovery: { actions: [{ name: 'RECREATE' }], fencing: ['COMPUTE'] },
      }),
    );
    cleanups.push(() => api.request('DELETE', `/v1/policies/${policy}`));
    await api.actOk('POST', `/v1/clusters/${clusterId}/actions`, {
      policy_attach: { policy_id: policy, enabled: true },
    });
    cleanups.push(() =>
      api.request('POST', `/v1/clusters/${clusterId}/actions`, {
        policy_detach: { policy_id: policy },
      }),
    );
    const [node] = await api.clusterNodes(clusterId);
    const before = String(node.physical_id);
    await deleteBehindTheBack(before);

    const deadline = Date.now() + 300_000;
    let current = await api.node(node.id);
    while (Date.now() < deadline) {
      current = await api.node(node.id);
      if (current.status === 'ACTIVE' && current.physical_id && current.physical_id !== before)
        break;
      await sleep(3000);
    }
    expect(current.physical_id).not.toBe(before);
    expect(current.status).toBe('ACTIVE');
    expect((await serverOrNull(current.physical_id))?.status).toBe('ACTIVE');
    expect(await clusterServers(clusterId)).toHaveLength(1);
  });
});
