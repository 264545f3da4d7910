/**
 * `os.nova.server-1.1` through the API with a running engine on the fake cloud: the type and
 * its operations are listed, migrations and drain run as node and cluster operations, a
 * shrinking profile update is refused, a scale-out boots from a golden snapshot, a volume
 * pool gives distinct volumes and takes them back, and a cluster update grows volumes under
 * a batch policy.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, waitForAction } from '../support/engine.js';
import { errorMessage, startApi } from './harness.js';

const api = await startApi();
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

const HOST = 'OS-EXT-SRV-ATTR:host';
const drivers = api.backend.drivers({ userId: 'demo-user', projectId: 'demo' });

function spec(properties: Record<string, unknown> = {}) {
  return {
    type: 'os.nova.server',
    version: '1.1',
    properties: {
      flavor: 'm1.tiny',
      image: 'cirros-0.4.0-x86_64-disk',
      networks: [{ network: 'private' }],
      ...properties,
    },
  };
}

async function profile(properties: Record<string, unknown> = {}): Promise<string> {
  const res = await api.call('POST', '/v1/profiles', {
    body: {
      profile: { name: `p-${Math.random().toString(36).slice(2, 8)}`, spec: spec(properties) },
    },
  });
  expect(res.statusCode).toBe(201);
  return res.data.profile.id;
}

async function finished(res: { statusCode: number; headers: Record<string, unknown>; data: any }) {
  expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
  const id = String(res.headers.location).split('/actions/')[1] ?? '';
  await waitForAction(api.db, id, undefined, 30_000);
  return (await api.call('GET', `/v1/actions/${id}`)).data.action;
}

async function cluster(profileId: string, size: number): Promise<string> {
  const res = await api.call('POST', '/v1/clusters', {
    body: {
      cluster: {
        name: `c-${Math.random().toString(36).slice(2, 8)}`,
        profile_id: profileId,
        desired_capacity: size,
      },
    },
  });
  expect((await finished(res)).status).toBe('SUCCEEDED');
  return res.data.cluster.id;
}

async function members(clusterId: string): Promise<any[]> {
  const res = await api.call('GET', '/v1/nodes', { query: { cluster_id: clusterId } });
  return res.data.nodes;
}

const serverOf = (node: { physical_id: string }) => drivers.compute.getServer(node.physical_id);

describe('os.nova.server-1.1 type', () => {
  it('is listed with its support status and shows its operations with parameters', async () => {
    const list = await api.call('GET', '/v1/profile-types', { version: '1.5' });
    expect(list.data.profile_types).toContainEqual({
      name: 'os.nova.server',
      version: '1.1',
      support_status: { '1.1': [{ status: 'EXPERIMENTAL', since: '2026.11' }] },
    });
    const show = await api.call('GET', '/v1/profile-types/os.nova.server-1.1', { version: '1.5' });
    expect(show.data.profile_type.schema.block_device_mapping_v2.updatable).toBe(true);
    expect(show.data.profile_type.schema.rapid_scale.type).toBe('Map');
    const ops = await api.call('GET', '/v1/profile-types/os.nova.server-1.1/ops');
    expect(ops.statusCode).toBe(200);
    expect(ops.data.operations.live_migrate.parameters).toMatchObject({
      host: { type: 'String', required: false },
      block_migration: { type: 'String', default: 'auto' },
    });
    expect(ops.data.operations.drain.parameters.host).toMatchObject({ required: true });
    expect(Object.keys(ops.data.operations)).toEqual(
      expect.arrayContaining(['migrate', 'evacuate', 'snapshot', 'restore', 'reboot']),
    );
  });

  it('refuses a bad pool at profile create with the 400 body of a bad spec', async () => {
    const res = await api.call('POST', '/v1/profiles', {
      body: {
        profile: {
          name: 'bad',
          spec: spec({ networks: [{ pool: { fixed_ips: ['10.0.0.1'] } }] }),
        },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.type).toBe('InvalidSpec');
    expect(errorMessage(res)).toBe(
      "Failed in creating profile bad: A fixed IP pool needs the 'network' its addresses belong to",
    );
  });
});

describe('os.nova.server-1.1 clusters and policies', () => {
  it('take the policies made for os.nova.server-1.0 (zone placement, affinity)', async () => {
    const clusterId = await cluster(await profile(), 0);
    for (const [type, properties] of [
      ['senlin.policy.zone_placement', { zones: [{ name: 'ZONE1' }] }],
      ['senlin.policy.affinity', { servergroup: { policies: 'anti-affinity' } }],
    ] as const) {
      const policy = await api.call('POST', '/v1/policies', {
        body: { policy: { name: type, spec: { type, version: '1.0', properties } } },
      });
      expect(policy.statusCode, JSON.stringify(policy.data)).toBe(201);
      const attach = await api.call('POST', `/v1/clusters/${clusterId}/actions`, {
        body: { policy_attach: { policy_id: policy.data.policy.id } },
      });
      const action = await finished(attach);
      expect(action.status, action.status_reason).toBe('SUCCEEDED');
    }
  });
});

describe('os.nova.server-1.1 migrations through the API', () => {
  it('live-migrates a node to the other host through the node ops call', async () => {
    const clusterId = await cluster(await profile(), 1);
    const [node] = await members(clusterId);
    const from = String((await serverOf(node))[HOST]);
    const to = from === 'host1' ? 'host2' : 'host1';
    const res = await api.call('POST', `/v1/nodes/${node.id}/ops`, {
      body: { live_migrate: { host: to } },
    });
    expect((await finished(res)).status).toBe('SUCCEEDED');
    expect((await serverOf(node))[HOST]).toBe(to);
  });

  it('refuses an unknown parameter of a migration with the ops 400', async () => {
    const clusterId = await cluster(await profile(), 1);
    const [node] = await members(clusterId);
    const res = await api.call('POST', `/v1/nodes/${node.id}/ops`, {
      body: { migrate: { hots: 'host1' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe("Unrecognizable parameter 'hots'.");
  });

  it('drains a host: every node of the cluster ends up on the other host', async () => {
    const clusterId = await cluster(await profile(), 4);
    const res = await api.call('POST', `/v1/clusters/${clusterId}/ops`, {
      body: { drain: { params: { host: 'host1' } } },
    });
    const action = await finished(res);
    expect(
      action.status,
      JSON.stringify((await members(clusterId)).map((n) => n.status_reason)),
    ).toBe('SUCCEEDED');
    for (const node of await members(clusterId)) {
      const server = await serverOf(node);
      expect(server[HOST]).toBe('host2');
      expect(server.status).toBe('ACTIVE');
    }
  });

  it('cold-migrates a node and confirms it', async () => {
    const clusterId = await cluster(await profile(), 1);
    const [node] = await members(clusterId);
    const from = (await serverOf(node))[HOST];
    const res = await api.call('POST', `/v1/nodes/${node.id}/ops`, { body: { migrate: {} } });
    expect((await finished(res)).status).toBe('SUCCEEDED');
    const server = await serverOf(node);
    expect(server.status).toBe('ACTIVE');
    expect(server[HOST]).not.toBe(from);
  });
});

describe('os.nova.server-1.1 snapshots and rapid scale', () => {
  it('a scale-out after a snapshot of the golden node boots from the snapshot', async () => {
    const clusterId = await cluster(await profile({ rapid_scale: {} }), 1);
    const [golden] = await members(clusterId);
    const role = await api.call('PATCH', `/v1/nodes/${golden.id}`, {
      body: { node: { role: 'golden' } },
    });
    expect((await finished(role)).status).toBe('SUCCEEDED');
    const snap = await api.call('POST', `/v1/nodes/${golden.id}/ops`, {
      body: { snapshot: { name: 'golden-snap' } },
    });
    expect((await finished(snap)).status).toBe('SUCCEEDED');
    const image = await drivers.image.findImage('golden-snap');
    expect(image?.status).toBe('active');
    const out = await api.call('POST', `/v1/clusters/${clusterId}/actions`, {
      body: { scale_out: { count: 2 } },
    });
    expect((await finished(out)).status).toBe('SUCCEEDED');
    const fresh = (await members(clusterId)).filter((n) => n.id !== golden.id);
    expect(fresh).toHaveLength(2);
    for (const node of fresh) {
      expect(((await serverOf(node)).image as { id: string }).id).toBe(image?.id);
    }
    expect(((await serverOf(golden)).image as { id: string }).id).not.toBe(image?.id);
  });
});

describe('os.nova.server-1.1 volume pools and disk updates', () => {
  async function poolVolumes(count: number, tag: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const v = await drivers.blockStorage.createVolume({
        size: 1,
        name: `${tag}-${i}`,
        metadata: { pool: tag },
      });
      ids.push(v.id);
    }
    for (const id of ids) await drivers.blockStorage.waitForVolume(id, 'available', { timeout: 5 });
    return ids;
  }

  it('gives 3 nodes 3 distinct volumes of a pool of 4 and returns them on delete', async () => {
    const ids = await poolVolumes(4, 'pool-a');
    const clusterId = await cluster(
      await profile({
        block_device_mapping_v2: [{ device_name: 'vdb', pool: { metadata: { pool: 'pool-a' } } }],
      }),
      3,
    );
    const used = new Set<string>();
    for (const node of await members(clusterId)) {
      const attached = (await serverOf(node))['os-extended-volumes:volumes_attached'] as {
        id: string;
      }[];
      for (const { id } of attached) if (ids.includes(id)) used.add(id);
    }
    expect(used.size).toBe(3);
    const del = await api.call('DELETE', `/v1/clusters/${clusterId}`);
    expect((await finished(del)).status).toBe('SUCCEEDED');
    for (const id of ids)
      expect((await drivers.blockStorage.getVolume(id)).status).toBe('available');
    const claims = await api.db.kysely.selectFrom('senlin_ts_pool_claim').selectAll().execute();
    expect(claims.filter((c) => ids.includes(c.resource_id))).toEqual([]);
  });

  it('an exhausted pool fails the extra node only, with the reason on the node', async () => {
    await poolVolumes(2, 'pool-b');
    const clusterId = await cluster(
      await profile({ block_device_mapping_v2: [{ pool: { metadata: { pool: 'pool-b' } } }] }),
      2,
    );
    const out = await api.call('POST', `/v1/clusters/${clusterId}/actions`, {
      body: { scale_out: { count: 1 } },
    });
    expect((await finished(out)).status).toBe('FAILED');
    const nodes = await members(clusterId);
    expect(nodes.filter((n) => n.status === 'ACTIVE')).toHaveLength(2);
    const failed = nodes.find((n) => n.status === 'ERROR');
    expect(failed?.status_reason).toContain('has no available volume left');
  });

  it('refuses a cluster update that would shrink a volume with a 400', async () => {
    const disk = (size: number) => [
      { device_name: 'vdb', source_type: 'blank', destination_type: 'volume', volume_size: size },
    ];
    const clusterId = await cluster(await profile({ block_device_mapping_v2: disk(2) }), 1);
    const smaller = await profile({ block_device_mapping_v2: disk(1) });
    const res = await api.call('PATCH', `/v1/clusters/${clusterId}`, {
      body: { cluster: { profile_id: smaller } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.type).toBe('InvalidSpec');
    expect(errorMessage(res)).toBe(
      "The size of block device 'vdb' cannot shrink from 2 to 1: volumes can only grow",
    );
  });

  it('grows the volumes of every node through CLUSTER_UPDATE with a batch policy', async () => {
    const disk = (size: number) => [
      {
        device_name: 'vdb',
        source_type: 'blank',
        destination_type: 'volume',
        volume_size: size,
        delete_on_termination: true,
      },
    ];
    const clusterId = await cluster(await profile({ block_device_mapping_v2: disk(1) }), 3);
    const policy = await api.call('POST', '/v1/policies', {
      body: {
        policy: {
          name: 'batch',
          spec: {
            type: 'senlin.policy.batch',
            version: '1.0',
            properties: { min_in_service: 1, max_batch_size: 1, pause_time: 0 },
          },
        },
      },
    });
    const attach = await api.call('POST', `/v1/clusters/${clusterId}/actions`, {
      body: { policy_attach: { policy_id: policy.data.policy.id } },
    });
    expect((await finished(attach)).status).toBe('SUCCEEDED');
    const bigger = await profile({ block_device_mapping_v2: disk(4) });
    const res = await api.call('PATCH', `/v1/clusters/${clusterId}`, {
      body: { cluster: { profile_id: bigger } },
    });
    expect((await finished(res)).status).toBe('SUCCEEDED');
    for (const node of await members(clusterId)) {
      expect(node.profile_id).toBe(bigger);
      const attached = (await serverOf(node))['os-extended-volumes:volumes_attached'] as {
        id: string;
      }[];
      const sizes = await Promise.all(
        attached.map(async ({ id }) => (await drivers.blockStorage.getVolume(id)).size),
      );
      expect(sizes).toEqual([4]);
    }
  });
});
