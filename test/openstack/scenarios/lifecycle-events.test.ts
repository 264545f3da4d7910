import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCloud, clusterServers, serverOrNull } from '../support/cloud-checks.js';
import { uniqueName } from '../support/lab.js';
import { runCleanups, SenlinClient } from '../support/senlin.js';
import { novaSpec, policySpec } from '../support/specs.js';

// A health policy with LIFECYCLE_EVENTS only: nothing polls the nodes, so a server stopped or
// deleted behind senlin-ts's back is noticed through the notification Nova puts on the lab's
// RabbitMQ (exchange `nova`, topic `versioned_notifications`), and its node is recreated.
const api = new SenlinClient();
const cleanups: (() => Promise<unknown>)[] = [];
let clusterId = '';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until the node has an ACTIVE server other than `before`; the node. */
async function replaced(nodeId: string, before: string): Promise<any> {
  const deadline = Date.now() + 180_000;
  let node = await api.node(nodeId);
  while (Date.now() < deadline) {
    node = await api.node(nodeId);
    if (node.status === 'ACTIVE' && node.physical_id && node.physical_id !== before) return node;
    await sleep(2000);
  }
  return node;
}

/** The UNHEALTHY events the health manager recorded for a node. */
async function unhealthyEvents(nodeId: string): Promise<{ status_reason: string }[]> {
  const answer = await api.expect(200, 'GET', `/v1/events?oid=${nodeId}&action=NODE_CHECK`);
  return (answer.body.events as { status: string; status_reason: string }[]).filter(
    (e) => e.status === 'UNHEALTHY',
  );
}

beforeAll(async () => {
  const profile = await api.createProfile(uniqueName('evt-nova'), novaSpec());
  cleanups.push(() => api.request('DELETE', `/v1/profiles/${profile}`));
  const created = await api.createCluster({
    name: uniqueName('evt'),
    profile_id: profile,
    desired_capacity: 2,
    min_size: 0,
    max_size: 4,
  });
  clusterId = created.id;
  cleanups.push(() => api.deleteCluster(clusterId));
  expect(created.action.status, created.action.status_reason).toBe('SUCCEEDED');
  const policy = await api.createPolicy(
    uniqueName('events'),
    policySpec('senlin.policy.health', '1.1', {
      detection: { detection_modes: [{ type: 'LIFECYCLE_EVENTS' }] },
      recovery: { actions: [{ name: 'RECREATE' }] },
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
});

afterAll(async () => {
  await runCleanups(cleanups);
});

describe('a health policy following Nova notifications', () => {
  it('recreates the node of a server stopped in Nova', async () => {
    // at once after the attach: the health manager has not taken the new registration yet
    const [node] = await api.clusterNodes(clusterId);
    const before = String(node.physical_id);
    await adminCloud.compute.serverAction(before, 'stop');

    const now = await replaced(node.id, before);
    expect(now.status).toBe('ACTIVE');
    expect(now.physical_id).not.toBe(before);
    expect((await serverOrNull(now.physical_id))?.status).toBe('ACTIVE');
    // the stopped server was replaced, not left behind
    expect(await serverOrNull(before)).toBeNull();
    const [event] = await unhealthyEvents(node.id);
    expect(event?.status_reason).toMatch(
      /^LIFECYCLE_EVENTS: nova reported instance\.power_off\.end/,
    );
  });

  it('recreates the node of a server deleted in Nova', async () => {
    const nodes = await api.clusterNodes(clusterId);
    const node = nodes[1];
    const before = String(node.physical_id);
    await adminCloud.compute.deleteServer(before);

    const now = await replaced(node.id, before);
    expect(now.status).toBe('ACTIVE');
    expect(now.physical_id).not.toBe(before);
    expect((await serverOrNull(now.physical_id))?.status).toBe('ACTIVE');
    const [event] = await unhealthyEvents(node.id);
    // the first notification of a delete that means failure is the guest's shutdown
    expect(event?.status_reason).toMatch(
      /^LIFECYCLE_EVENTS: nova reported instance\.(shutdown|delete)\.end/,
    );
    const servers = await clusterServers(clusterId);
    expect(servers).toHaveLength(2);
    expect(servers.every((s) => s.status === 'ACTIVE')).toBe(true);
    expect((await api.cluster(clusterId)).status).toBe('ACTIVE');
  });

  it('leaves nothing in Nova once the cluster is deleted', async () => {
    expect(await api.deleteCluster(clusterId)).toBe(true);
    expect(await clusterServers(clusterId)).toEqual([]);
  });
});
