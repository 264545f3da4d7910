import { afterAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/drivers/types.js';
import { adminCloud, clusterServers, hostOf, serverOrNull } from '../support/cloud-checks.js';
import { ACCOUNTS, uniqueName } from '../support/lab.js';
import { runCleanups, SenlinClient } from '../support/senlin.js';
import { LAB } from '../support/specs.js';

// os.nova.server-1.1 on the real services: live migration between the lab's two fake compute
// hosts, draining a host, snapshot and rapid scale from it, a pool of Cinder volumes, a pool
// of Neutron ports, and a volume grown by a profile update. Moving servers is for
// administrators in Nova, so these clusters belong to the lab's admin.
const api = new SenlinClient(ACCOUNTS.admin);
const cleanups: (() => Promise<unknown>)[] = [];
const cloud = adminCloud;
const wait = { timeout: 300 };

afterAll(async () => {
  await runCleanups(cleanups);
});

function spec(properties: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'os.nova.server',
    version: '1.1',
    properties: {
      flavor: LAB.flavor,
      image: LAB.image,
      networks: [{ network: LAB.network }],
      metadata: { test: 'senlin-ts-openstack' },
      ...properties,
    },
  };
}

async function profile(prefix: string, properties: Record<string, unknown> = {}) {
  const id = await api.createProfile(uniqueName(prefix), spec(properties));
  cleanups.push(() => api.request('DELETE', `/v1/profiles/${id}`));
  return id;
}

async function cluster(prefix: string, profileId: string, size: number): Promise<string> {
  const created = await api.createCluster({
    name: uniqueName(prefix),
    profile_id: profileId,
    desired_capacity: size,
    min_size: 0,
    max_size: 10,
  });
  cleanups.push(() => api.deleteCluster(created.id));
  expect(created.action.status, created.action.status_reason).toBe('SUCCEEDED');
  return created.id;
}

const otherHost = (host: string) =>
  host === 'fake-compute-1' ? 'fake-compute-2' : 'fake-compute-1';

async function server(node: { physical_id: string }): Promise<Resource> {
  const found = await serverOrNull(node.physical_id);
  if (found === null) throw new Error(`server ${node.physical_id} is gone`);
  return found;
}

describe('os.nova.server-1.1 moves servers', () => {
  it('live-migrates a node to the other compute host, as Nova shows', async () => {
    const clusterId = await cluster('lm', await profile('lm'), 1);
    const [node] = await api.clusterNodes(clusterId);
    const from = hostOf(await server(node));
    await api.actOk('POST', `/v1/nodes/${node.id}/ops`, {
      live_migrate: { host: otherHost(from) },
    });
    const moved = await server(node);
    expect(hostOf(moved)).toBe(otherHost(from));
    expect(moved.status).toBe('ACTIVE');
  });

  it('drains a host: no node of the cluster is left on it', async () => {
    const clusterId = await cluster('drain', await profile('drain'), 2);
    const nodes = await api.clusterNodes(clusterId);
    const host = hostOf(await server(nodes[0]));
    await api.actOk('POST', `/v1/clusters/${clusterId}/ops`, { drain: { params: { host } } });
    for (const s of await clusterServers(clusterId)) {
      expect(hostOf(s)).toBe(otherHost(host));
      expect(s.status).toBe('ACTIVE');
    }
  });
});

describe('os.nova.server-1.1 snapshots', () => {
  it('snapshots a node and scales out from the snapshot', async () => {
    const clusterId = await cluster('snap', await profile('snap', { rapid_scale: {} }), 1);
    const [golden] = await api.clusterNodes(clusterId);
    await api.actOk('PATCH', `/v1/nodes/${golden.id}`, { node: { role: 'golden' } });
    const snapName = uniqueName('golden');
    await api.actOk('POST', `/v1/nodes/${golden.id}/ops`, { snapshot: { name: snapName } });
    const image = await cloud.image.findImage(snapName);
    expect(image?.status).toBe('active');
    cleanups.push(() => cloud.image.deleteImage(String(image?.id)));
    expect((await api.node(golden.id)).data?.snapshots?.[0]?.id).toBe(image?.id);

    await api.actOk('POST', `/v1/clusters/${clusterId}/actions`, { scale_out: { count: 2 } });
    const fresh = (await api.clusterNodes(clusterId)).filter((n) => n.id !== golden.id);
    expect(fresh).toHaveLength(2);
    for (const node of fresh) {
      expect(((await server(node)).image as { id: string }).id).toBe(image?.id);
    }
  });
});

describe('os.nova.server-1.1 pools and disks', () => {
  it('gives 3 nodes 3 distinct volumes of a pool of 4 and returns them on delete', async () => {
    const tag = uniqueName('vpool');
    const pool: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const volume = await cloud.blockStorage.createVolume({
        size: 1,
        name: `${tag}-${i}`,
        metadata: { pool: tag },
      });
      pool.push(volume.id);
      cleanups.push(() => cloud.blockStorage.deleteVolume(volume.id));
    }
    for (const id of pool) await cloud.blockStorage.waitForVolume(id, 'available', wait);
    const profileId = await profile('vpool', {
      block_device_mapping_v2: [{ device_name: 'vdb', pool: { metadata: { pool: tag } } }],
    });
    const created = await api.createCluster({
      name: uniqueName('vpool'),
      profile_id: profileId,
      desired_capacity: 3,
      min_size: 0,
      max_size: 10,
    });
    cleanups.push(() => api.deleteCluster(created.id));
    expect(created.action.status, created.action.status_reason).toBe('SUCCEEDED');
    const used = new Set<string>();
    for (const id of pool) {
      const volume = await cloud.blockStorage.getVolume(id);
      if (volume.status === 'in-use') used.add(id);
    }
    expect(used.size).toBe(3);
    const servers = (await clusterServers(created.id)).map((s) => s.id);
    for (const id of used) {
      const volume = await cloud.blockStorage.getVolume(id);
      const attachments = volume.attachments as { server_id: string }[];
      expect(servers).toContain(attachments[0]?.server_id);
    }
    expect(await api.deleteCluster(created.id)).toBe(true);
    for (const id of pool) {
      const volume = await cloud.blockStorage.waitForVolume(id, 'available', wait);
      expect(volume.attachments).toEqual([]);
    }
  });

  it('gives each node a pre-created port of a port pool', async () => {
    const network = await cloud.network.findNetwork(LAB.network);
    const prefix = uniqueName('ppool');
    const ports: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const port = await cloud.network.createPort({
        network_id: network?.id,
        name: `${prefix}-${i}`,
      });
      ports.push(port.id);
      cleanups.push(() => cloud.network.deletePort(port.id));
    }
    const clusterId = await cluster(
      'ppool',
      await profile('ppool', { networks: [{ pool: { port_name_prefix: prefix } }] }),
      2,
    );
    const given = new Set<string>();
    for (const s of await clusterServers(clusterId)) {
      for (const iface of await cloud.compute.listServerInterfaces(s.id)) {
        given.add(String(iface.port_id));
      }
    }
    expect([...given].sort()).toEqual([...ports].sort());
  });

  it('extends a volume through a profile update and Cinder shows the new size', async () => {
    const disk = (size: number) => ({
      block_device_mapping_v2: [
        {
          device_name: 'vdb',
          source_type: 'blank',
          destination_type: 'volume',
          volume_size: size,
          delete_on_termination: true,
        },
      ],
    });
    const clusterId = await cluster('grow', await profile('grow', disk(1)), 1);
    const bigger = await profile('grow2', disk(2));
    await api.actOk('PATCH', `/v1/clusters/${clusterId}`, { cluster: { profile_id: bigger } });
    const [node] = await api.clusterNodes(clusterId);
    const attached = (await server(node))['os-extended-volumes:volumes_attached'] as {
      id: string;
    }[];
    const sizes = await Promise.all(
      attached.map(async ({ id }) => (await cloud.blockStorage.getVolume(id)).size),
    );
    expect(sizes).toContain(2);
    const shrink = await api.request('PATCH', `/v1/clusters/${clusterId}`, {
      cluster: { profile_id: await profile('shrink', disk(1)) },
    });
    expect(shrink.status).toBe(400);
    expect(shrink.body.error.type).toBe('InvalidSpec');
  });
});
