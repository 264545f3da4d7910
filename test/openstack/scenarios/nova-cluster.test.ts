import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/drivers/types.js';
import { adminCloud, clusterServers, portsOfServers } from '../support/cloud-checks.js';
import { uniqueName } from '../support/lab.js';
import { runCleanups, SenlinClient } from '../support/senlin.js';
import { LAB, novaSpec, policySpec } from '../support/specs.js';

// A cluster of real Nova servers through senlin-ts's API with the demo user's token: created,
// scaled out and in, resized and rebuilt in batches, deleted; Nova and Neutron are checked
// directly after every step.
const api = new SenlinClient();
const cleanups: (() => Promise<unknown>)[] = [];
let clusterId = '';
const seen = new Set<string>();

/** True when the server runs the flavor `name` (Nova shows its id or, from 2.47, its name). */
async function hasFlavor(server: Resource, name: string): Promise<boolean> {
  const flavor = server.flavor as { original_name?: string; id?: string } | undefined;
  const wanted = await adminCloud.compute.findFlavor(name);
  return flavor?.original_name === name || (wanted !== null && flavor?.id === wanted.id);
}

async function activeServers(): Promise<Resource[]> {
  const servers = await clusterServers(clusterId);
  for (const s of servers) seen.add(s.id);
  return servers;
}

/** The largest number of NODE_UPDATE actions that ran at the same time during a cluster action. */
async function mostAtOnce(actionId: string): Promise<number> {
  const parent = (await api.expect(200, 'GET', `/v1/actions/${actionId}`)).body.action;
  const [from, to] = [Number(parent.start_time), Number(parent.end_time)];
  const children: { start: number; end: number }[] = [];
  for (const node of await api.clusterNodes(clusterId)) {
    const answer = await api.expect(200, 'GET', `/v1/actions?target=${node.id}&action=NODE_UPDATE`);
    for (const child of answer.body.actions as { start_time: number; end_time: number }[]) {
      const span = { start: Number(child.start_time), end: Number(child.end_time) };
      if (span.start >= from && span.end <= to) children.push(span);
    }
  }
  expect(children).toHaveLength(4);
  return Math.max(
    ...children.map((c) => children.filter((o) => o.start < c.end && c.start < o.end).length),
  );
}

beforeAll(async () => {
  const profile = await api.createProfile(uniqueName('nova'), novaSpec());
  cleanups.push(() => api.request('DELETE', `/v1/profiles/${profile}`));
  const created = await api.createCluster({
    name: uniqueName('web'),
    profile_id: profile,
    desired_capacity: 5,
    min_size: 1,
    max_size: 10,
  });
  clusterId = created.id;
  cleanups.push(() => api.deleteCluster(clusterId));
  expect(created.action.status, created.action.status_reason).toBe('SUCCEEDED');
});

afterAll(async () => {
  await runCleanups(cleanups);
});

describe('a cluster of Nova servers', () => {
  it('creates five ACTIVE servers tagged with the cluster and its nodes', async () => {
    const cluster = await api.cluster(clusterId);
    expect(cluster.status).toBe('ACTIVE');
    expect(cluster.nodes).toHaveLength(5);
    const servers = await activeServers();
    expect(servers).toHaveLength(5);
    expect(servers.every((s) => s.status === 'ACTIVE')).toBe(true);
    const nodes = await api.clusterNodes(clusterId);
    expect(new Set(nodes.map((n) => n.physical_id))).toEqual(new Set(servers.map((s) => s.id)));
    for (const server of servers) {
      const metadata = server.metadata as Record<string, string>;
      expect(nodes.map((n) => n.id)).toContain(metadata.cluster_node_id);
      expect(await hasFlavor(server, LAB.flavor)).toBe(true);
    }
  });

  it('scales out by two with two more servers in Nova', async () => {
    await api.actOk('POST', `/v1/clusters/${clusterId}/actions`, { scale_out: { count: 2 } });
    expect((await api.cluster(clusterId)).desired_capacity).toBe(7);
    const servers = await activeServers();
    expect(servers).toHaveLength(7);
    expect(servers.every((s) => s.status === 'ACTIVE')).toBe(true);
  });

  it('scales in by three, deleting those servers and their ports', async () => {
    const before = (await activeServers()).map((s) => s.id);
    await api.actOk('POST', `/v1/clusters/${clusterId}/actions`, { scale_in: { count: 3 } });
    const after = (await activeServers()).map((s) => s.id);
    expect(after).toHaveLength(4);
    const removed = before.filter((id) => !after.includes(id));
    expect(removed).toHaveLength(3);
    expect(await portsOfServers(removed)).toEqual([]);
    expect((await api.cluster(clusterId)).nodes).toHaveLength(4);
  });

  it('resizes every server to a new flavor in batches of the batch policy', async () => {
    const policy = await api.createPolicy(
      uniqueName('batch'),
      policySpec('senlin.policy.batch', '1.0', {
        min_in_service: 2,
        max_batch_size: 2,
        pause_time: 1,
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
    const bigger = await api.createProfile(
      uniqueName('nova-small'),
      novaSpec({ flavor: LAB.biggerFlavor }),
    );
    cleanups.push(() => api.request('DELETE', `/v1/profiles/${bigger}`));
    const before = (await activeServers()).map((s) => s.id).sort();
    const update = await api.actOk('PATCH', `/v1/clusters/${clusterId}`, {
      cluster: { profile_id: bigger },
    });
    expect(await mostAtOnce(update.id)).toBeLessThanOrEqual(2);
    const servers = await activeServers();
    // resized in place: the same servers
    expect(servers.map((s) => s.id).sort()).toEqual(before);
    for (const server of servers) {
      expect(server.status).toBe('ACTIVE');
      expect(await hasFlavor(server, LAB.biggerFlavor)).toBe(true);
    }
    expect((await api.cluster(clusterId)).profile_id).toBe(bigger);
  });

  it('rebuilds every server with a new image in batches', async () => {
    const image = await adminCloud.image.findImage(LAB.otherImage);
    expect(image).not.toBeNull();
    const rebuilt = await api.createProfile(
      uniqueName('nova-image2'),
      novaSpec({ flavor: LAB.biggerFlavor, image: LAB.otherImage }),
    );
    cleanups.push(() => api.request('DELETE', `/v1/profiles/${rebuilt}`));
    const before = (await activeServers()).map((s) => s.id).sort();
    const update = await api.actOk('PATCH', `/v1/clusters/${clusterId}`, {
      cluster: { profile_id: rebuilt },
    });
    expect(await mostAtOnce(update.id)).toBeLessThanOrEqual(2);
    const servers = await activeServers();
    // rebuilt in place: the same servers
    expect(servers.map((s) => s.id).sort()).toEqual(before);
    for (const server of servers) {
      expect(server.status).toBe('ACTIVE');
      expect((server.image as { id?: string }).id).toBe(image?.id);
    }
  });

  it('deletes the cluster with nothing left in Nova or Neutron', async () => {
    expect(await api.deleteCluster(clusterId)).toBe(true);
    expect((await api.request('GET', `/v1/clusters/${clusterId}`)).status).toBe(404);
    expect(await clusterServers(clusterId)).toEqual([]);
    expect(await portsOfServers([...seen])).toEqual([]);
  });
});
