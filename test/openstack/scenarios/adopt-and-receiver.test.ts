import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterServers, serverOrNull } from '../support/cloud-checks.js';
import { ACCOUNTS, labDrivers, labSession, uniqueName } from '../support/lab.js';
import { runCleanups, SenlinClient } from '../support/senlin.js';
import { LAB, novaSpec } from '../support/specs.js';

// A server made directly in Nova by the demo user becomes a node of senlin-ts; a message
// receiver gets its Zaqar queue, and a message posted there scales a cluster out.
const api = new SenlinClient();
const demo = labDrivers(ACCOUNTS.demo);
const cleanups: (() => Promise<unknown>)[] = [];

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

afterAll(async () => {
  await runCleanups(cleanups);
});

describe('adopting an existing server', () => {
  let serverId = '';

  beforeAll(async () => {
    const [flavor, image, network] = await Promise.all([
      demo.compute.findFlavor(LAB.flavor),
      demo.compute.findImage(LAB.image),
      demo.network.findNetwork(LAB.network),
    ]);
    const server = await demo.compute.createServer({
      name: uniqueName('byhand'),
      flavorRef: flavor?.id,
      imageRef: image?.id,
      networks: [{ uuid: network?.id }],
      metadata: { owner: 'made-by-hand' },
    });
    serverId = server.id;
    cleanups.push(async () => {
      if (await serverOrNull(serverId)) await demo.compute.deleteServer(serverId);
    });
    await demo.compute.waitForServer(serverId, 'ACTIVE', { timeout: 300 });
  });

  it('previews the profile senlin-ts would make of it', async () => {
    const answer = await api.expect(200, 'POST', '/v1/nodes/adopt-preview', {
      identity: serverId,
      type: 'os.nova.server-1.0',
    });
    // double-wrapped, as upstream answers it
    const spec = answer.body.node_profile.node_preview;
    expect(spec.type).toBe('os.nova.server');
    expect(spec.properties.flavor).toBeTruthy();
    expect(spec.properties.image).toBeTruthy();
  });

  it('adopts it as an ACTIVE node whose deletion deletes the server', async () => {
    const answer = await api.expect(200, 'POST', '/v1/nodes/adopt', {
      identity: serverId,
      type: 'os.nova.server-1.0',
      name: uniqueName('adopted'),
    });
    const node = answer.body.node;
    expect(node.physical_id).toBe(serverId);
    expect(node.status).toBe('ACTIVE');
    const profileId = node.profile_id as string;
    cleanups.push(() => api.request('DELETE', `/v1/profiles/${profileId}`));
    const shown = await api.node(node.id);
    expect(shown.details?.id ?? shown.physical_id).toBe(serverId);
    await api.actOk('DELETE', `/v1/nodes/${node.id}`);
    expect(await serverOrNull(serverId)).toBeNull();
  });
});

describe('a message receiver fed through Zaqar', () => {
  let clusterId = '';
  let receiverId = '';
  let queue = '';

  beforeAll(async () => {
    const profile = await api.createProfile(uniqueName('rcv-nova'), novaSpec());
    cleanups.push(() => api.request('DELETE', `/v1/profiles/${profile}`));
    const created = await api.createCluster({
      name: uniqueName('rcv'),
      profile_id: profile,
      desired_capacity: 1,
      min_size: 0,
      max_size: 3,
    });
    clusterId = created.id;
    cleanups.push(() => api.deleteCluster(clusterId));
    expect(created.action.status, created.action.status_reason).toBe('SUCCEEDED');
  });

  it('makes a Zaqar queue for the receiver', async () => {
    const answer = await api.expect(201, 'POST', '/v1/receivers', {
      receiver: { name: uniqueName('rcv'), type: 'message' },
    });
    receiverId = answer.body.receiver.id;
    cleanups.push(() => api.request('DELETE', `/v1/receivers/${receiverId}`));
    queue = answer.body.receiver.channel.queue_name;
    expect(queue).toBeTruthy();
    expect(await demo.message.queueExists(queue)).toBe(true);
  });

  it('is subscribed to its queue, so that Zaqar notifies it of every message', async () => {
    const subscriptions = await labSession(ACCOUNTS.demo).request<{
      subscriptions: { subscriber: string; options: Record<string, unknown> }[];
    }>('messaging', `/v2/queues/${queue}/subscriptions`, {
      headers: { 'Client-ID': '4e6f7468-696e-4c65-8674-000000000002' },
    });
    const [subscription] = subscriptions.body.subscriptions;
    expect(subscriptions.body.subscriptions).toHaveLength(1);
    expect(subscription?.subscriber).toMatch(/^trust\+http:\/\/.*\/receivers\/.*\/notify$/);
    expect(subscription?.subscriber).toContain(receiverId);
    expect(subscription?.options.trust_id).toBeTruthy();
    // nothing queued yet: a notification finds nothing to do
    await api.expect(204, 'POST', `/v1/receivers/${receiverId}/notify`);
    expect((await api.cluster(clusterId)).desired_capacity).toBe(1);
  });

  it('scales the cluster out for a message posted to the queue, pushed by Zaqar', async () => {
    // no notify call here: Zaqar posts to the receiver's notify URL with a token of its trust
    await demo.message.postMessages(queue, [
      { body: { cluster: clusterId, action: 'CLUSTER_SCALE_OUT', params: { count: 1 } }, ttl: 300 },
    ]);
    const deadline = Date.now() + 300_000;
    let cluster = await api.cluster(clusterId);
    while (Date.now() < deadline) {
      cluster = await api.cluster(clusterId);
      if (
        cluster.desired_capacity === 2 &&
        cluster.status === 'ACTIVE' &&
        cluster.nodes.length === 2
      )
        break;
      await sleep(2000);
    }
    expect(cluster.desired_capacity).toBe(2);
    expect(cluster.nodes).toHaveLength(2);
    expect(await clusterServers(clusterId)).toHaveLength(2);
    const left = await demo.message.claimMessages(queue, { limit: 10, ttl: 60, grace: 60 });
    expect(left.messages).toEqual([]);
  });

  it('deletes the queue with the receiver', async () => {
    await api.expect(204, 'DELETE', `/v1/receivers/${receiverId}`);
    expect(await demo.message.queueExists(queue)).toBe(false);
    expect(await api.deleteCluster(clusterId)).toBe(true);
    expect(await clusterServers(clusterId)).toEqual([]);
  });
});
