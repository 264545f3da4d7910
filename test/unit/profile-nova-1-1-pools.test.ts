import { afterEach, describe, expect, it } from 'vitest';
import { EResourceCreation } from '../../src/common/errors.js';
import type { NodeView, ProfileView } from '../../src/engine/contracts.js';
import { novaServer11Behaviour as nova } from '../../src/profiles/index.js';
import {
  createNode11,
  makeRig11,
  nodeContext,
  nova11Profile,
  type Rig11,
} from './nova-server-1-1-rig.js';
import { rejectionOf } from './profile-behaviour-context.js';

let rig: Rig11;
afterEach(async () => {
  await rig.cloud.close();
});

async function volumes(count: number, metadata: Record<string, string> = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const v = await rig.ctx.drivers.blockStorage.createVolume({
      size: 1,
      name: `pool-vol-${i}`,
      metadata,
    });
    ids.push(v.id);
  }
  for (const id of ids) {
    await rig.ctx.drivers.blockStorage.waitForVolume(id, 'available', { timeout: 5 });
  }
  return ids;
}

const attachedTo = async (id: string) => {
  const v = await rig.ctx.drivers.blockStorage.getVolume(id);
  return {
    status: v.status,
    servers: (v.attachments as { server_id: string }[]).map((a) => a.server_id),
  };
};

async function remove(node: NodeView, profile: ProfileView): Promise<void> {
  await nova.delete(node, profile, nodeContext(rig, node).ctx);
  rig.gone.add(node.id);
}

describe('os.nova.server-1.1 volume pools', () => {
  it('gives each node a distinct available volume of the pool, attached at boot', async () => {
    rig = makeRig11();
    const pool = await volumes(3);
    const profile = nova11Profile({
      block_device_mapping_v2: [{ device_name: 'vdb', pool: { volumes: pool } }],
    });
    const a = await createNode11(rig, profile);
    const b = await createNode11(rig, profile);
    const used = rig.claims.rows.map((r) => r.resourceId);
    expect(new Set(used).size).toBe(2);
    for (const [node, id] of [
      [a, rig.claims.rows.find((r) => r.nodeId === a.id)?.resourceId],
      [b, rig.claims.rows.find((r) => r.nodeId === b.id)?.resourceId],
    ] as const) {
      expect(await attachedTo(id ?? '')).toEqual({ status: 'in-use', servers: [node.physicalId] });
    }
  });

  it('selects the pool by Cinder metadata', async () => {
    rig = makeRig11();
    const [wanted] = await volumes(1, { pool: 'db' });
    await volumes(2, { pool: 'other' });
    const profile = nova11Profile({
      block_device_mapping_v2: [{ pool: { metadata: { pool: 'db' } } }],
    });
    await createNode11(rig, profile);
    expect(rig.claims.rows.map((r) => r.resourceId)).toEqual([wanted]);
  });

  it('an exhausted pool fails the node with a clear reason and leaves the others alone', async () => {
    rig = makeRig11();
    const pool = await volumes(1);
    const profile = nova11Profile({
      block_device_mapping_v2: [{ device_name: 'vdb', pool: { volumes: pool } }],
    });
    const first = await createNode11(rig, profile);
    const err = await rejectionOf(createNode11(rig, profile));
    expect(err).toBeInstanceOf(EResourceCreation);
    expect(err.message).toBe(
      "Failed in creating server: the volume pool of block device 'vdb' has no available volume left.",
    );
    expect(rig.claims.rows).toHaveLength(1);
    expect((await rig.ctx.drivers.compute.getServer(first.physicalId ?? '')).status).toBe('ACTIVE');
  });

  it('on delete the volume is detached and returned to the pool, not deleted', async () => {
    rig = makeRig11();
    const [id = ''] = await volumes(1);
    const profile = nova11Profile({ block_device_mapping_v2: [{ pool: { volumes: [id] } }] });
    const node = await createNode11(rig, profile);
    await remove(node, profile);
    expect(await attachedTo(id)).toEqual({ status: 'available', servers: [] });
    expect(rig.claims.rows).toHaveLength(0);
    const again = await createNode11(rig, profile);
    expect(await attachedTo(id)).toEqual({ status: 'in-use', servers: [again.physicalId] });
  });

  it('a failed server create gives the volume back', async () => {
    rig = makeRig11();
    const [id = ''] = await volumes(1);
    const profile = nova11Profile({
      block_device_mapping_v2: [{ pool: { volumes: [id] } }],
      metadata: { simulated_fail: 'create' },
    });
    await rejectionOf(createNode11(rig, profile));
    expect(rig.claims.rows).toHaveLength(0);
  });

  it('a sticky volume stays with the node across a recreate', async () => {
    rig = makeRig11();
    const pool = await volumes(2);
    const profile = nova11Profile({
      block_device_mapping_v2: [{ pool: { volumes: pool, sticky: true } }],
    });
    const node = await createNode11(rig, profile);
    const held = rig.claims.rows[0]?.resourceId;
    const ctx = nodeContext(rig, node);
    const result = await nova.recover(node, profile, ctx.ctx, { operation: 'RECREATE' });
    expect(result.ok).toBe(true);
    expect(result.physicalId).not.toBe(node.physicalId);
    expect(await attachedTo(held ?? '')).toEqual({
      status: 'in-use',
      servers: [result.physicalId],
    });
  });
});

describe('os.nova.server-1.1 port and fixed IP pools', () => {
  async function ports(count: number): Promise<string[]> {
    const net = await rig.ctx.drivers.network.findNetwork('private');
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      ids.push(
        (await rig.ctx.drivers.network.createPort({ network_id: net?.id, name: `pp-${i}` })).id,
      );
    }
    return ids;
  }

  it('gives each node a distinct pre-created port and unbinds it on delete', async () => {
    rig = makeRig11();
    const pool = await ports(2);
    const profile = nova11Profile({ networks: [{ pool: { ports: pool } }] });
    const a = await createNode11(rig, profile);
    const b = await createNode11(rig, profile);
    const portOf = async (n: NodeView) =>
      (await rig.ctx.drivers.compute.listServerInterfaces(n.physicalId ?? '')).map(
        (i) => i.port_id,
      );
    const [pa] = await portOf(a);
    const [pb] = await portOf(b);
    expect(pool).toContain(pa);
    expect(pool).toContain(pb);
    expect(pa).not.toBe(pb);
    await remove(a, profile);
    const port = await rig.ctx.drivers.network.getPort(String(pa));
    expect(port.device_id).toBe('');
    expect(rig.claims.rows.map((r) => r.resourceId)).toEqual([pb]);
  });

  it('selects unbound ports by name prefix', async () => {
    rig = makeRig11();
    await ports(1);
    const profile = nova11Profile({ networks: [{ pool: { port_name_prefix: 'pp-' } }] });
    await createNode11(rig, profile);
    const err = await rejectionOf(createNode11(rig, profile));
    expect(err.message).toContain('the port pool has no unbound port left');
  });

  it('takes fixed IPs from a range, one per node', async () => {
    rig = makeRig11();
    const profile = nova11Profile({
      networks: [{ network: 'private', pool: { fixed_ips: ['10.0.9.10-10.0.9.11'] } }],
    });
    const addressOf = async (n: NodeView) => {
      const [iface] = await rig.ctx.drivers.compute.listServerInterfaces(n.physicalId ?? '');
      return ((iface?.fixed_ips ?? []) as { ip_address: string }[])[0]?.ip_address;
    };
    const a = await createNode11(rig, profile);
    const b = await createNode11(rig, profile);
    expect([await addressOf(a), await addressOf(b)].sort()).toEqual(['10.0.9.10', '10.0.9.11']);
    const err = await rejectionOf(createNode11(rig, profile));
    expect(err.message).toContain(
      "the fixed IP pool of network 'private' has no free address left",
    );
  });

  it('a sticky fixed IP pool keeps the address of a node across a recreate', async () => {
    rig = makeRig11();
    const profile = nova11Profile({
      networks: [
        { network: 'private', pool: { fixed_ips: ['10.0.9.20', '10.0.9.21'], sticky: true } },
      ],
    });
    const addressOf = async (id: string | null) => {
      const [iface] = await rig.ctx.drivers.compute.listServerInterfaces(id ?? '');
      return ((iface?.fixed_ips ?? []) as { ip_address: string }[])[0]?.ip_address;
    };
    const node = await createNode11(rig, profile);
    const before = await addressOf(node.physicalId);
    await createNode11(rig, profile);
    const ctx = nodeContext(rig, node);
    const result = await nova.recover(node, profile, ctx.ctx, { operation: 'RECREATE' });
    expect(result.physicalId).not.toBe(node.physicalId);
    expect(await addressOf(result.physicalId)).toBe(before);
  });

  it('claims of a node deleted for good go back to the pool, sticky or not', async () => {
    rig = makeRig11();
    const profile = nova11Profile({
      networks: [{ network: 'private', pool: { fixed_ips: ['10.0.9.30'], sticky: true } }],
    });
    const node = await createNode11(rig, profile);
    await remove(node, profile);
    const again = await createNode11(rig, profile);
    const [iface] = await rig.ctx.drivers.compute.listServerInterfaces(again.physicalId ?? '');
    expect(((iface?.fixed_ips ?? []) as { ip_address: string }[])[0]?.ip_address).toBe('10.0.9.30');
  });
});
