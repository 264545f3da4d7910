import { afterEach, describe, expect, it } from 'vitest';
import { ESchema, InvalidSpec } from '../../src/common/errors.js';
import {
  novaServer11Behaviour as nova,
  parseProfileSpec,
  profileTypes,
  validateNovaServer11Update,
} from '../../src/profiles/index.js';
import {
  createNode11,
  makeRig11,
  nodeContext,
  nova11Profile,
  type Rig11,
} from './nova-server-1-1-rig.js';

let rig: Rig11 | null = null;
afterEach(async () => {
  await rig?.cloud.close();
  rig = null;
});

const spec = (properties: Record<string, unknown>) => ({
  type: 'os.nova.server',
  version: '1.1',
  properties: { flavor: 'm1.tiny', image: 'cirros', ...properties },
});
const parse = (properties: Record<string, unknown>) =>
  parseProfileSpec(spec(properties)).properties;
const thrown = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
};

describe('os.nova.server-1.1 type', () => {
  it('is registered next to 1.0, with the new operations and properties', () => {
    const type = profileTypes.get('os.nova.server-1.1');
    expect(type?.schema.block_device_mapping_v2?.updatable).toBe(true);
    expect(Object.keys(type?.operations ?? {})).toEqual(
      expect.arrayContaining([
        'migrate',
        'live_migrate',
        'evacuate',
        'drain',
        'snapshot',
        'restore',
      ]),
    );
    expect(type?.schema.rapid_scale).toBeDefined();
    expect(profileTypes.get('os.nova.server-1.0')?.operations.drain).toBeUndefined();
  });

  it('refuses to shrink a block device between two specs', () => {
    const before = parse({
      block_device_mapping_v2: [
        { device_name: 'vdb', source_type: 'blank', destination_type: 'volume', volume_size: 5 },
      ],
    });
    const after = parse({
      block_device_mapping_v2: [
        { device_name: 'vdb', source_type: 'blank', destination_type: 'volume', volume_size: 2 },
      ],
    });
    const err = thrown(() => validateNovaServer11Update(before, after));
    expect(err).toBeInstanceOf(InvalidSpec);
    expect(err.message).toBe(
      "The size of block device 'vdb' cannot shrink from 5 to 2: volumes can only grow",
    );
    expect(() => validateNovaServer11Update(after, before)).not.toThrow();
  });

  it.each([
    [
      { block_device_mapping_v2: [{ device_name: 'vdb', volume_size: 1 }] },
      "Required spec item 'source_type' not provided",
    ],
    [
      { block_device_mapping_v2: [{ uuid: 'x', pool: { volumes: ['a'] } }] },
      "Block device 'x': the 'uuid' property and the 'pool' property cannot be specified at the same time",
    ],
    [
      { block_device_mapping_v2: [{ device_name: 'vdc', pool: {} }] },
      "Block device 'vdc': a volume pool needs 'volumes', 'metadata' or 'name_prefix'",
    ],
    [
      { networks: [{ pool: { fixed_ips: ['10.0.0.1'] } }] },
      "A fixed IP pool needs the 'network' its addresses belong to",
    ],
    [
      { networks: [{ network: 'private', pool: { fixed_ips: ['10.0.0.9-10.0.0.1'] } }] },
      "Invalid fixed IP pool: '10.0.0.9-10.0.0.1' is not an IPv4 address or a range 'first-last' of them",
    ],
    [
      { networks: [{ pool: { ports: ['a'], fixed_ips: ['10.0.0.1'] }, network: 'n' }] },
      "A network pool needs either 'ports' / 'port_name_prefix' or 'fixed_ips', not both",
    ],
    [
      { networks: [{ port: 'p', pool: { ports: ['a'] } }] },
      "The 'pool' property cannot be specified together with 'port' or 'fixed_ip'",
    ],
  ])('refuses a bad spec: %j', (properties, message) => {
    const err = thrown(() => parse(properties));
    expect(err).toBeInstanceOf(InvalidSpec);
    expect(err.message).toBe(message);
  });

  it('rejects unknown pool keys like any unknown spec item', () => {
    const err = thrown(() => parse({ networks: [{ network: 'private', pool: { bogus: 1 } }] }));
    expect(err).toBeInstanceOf(ESchema);
    expect(err.message).toBe("Unrecognizable spec item 'bogus'");
  });
});

describe('os.nova.server-1.1 disk updates', () => {
  const disk = (size: number, device = 'vdb') => ({
    device_name: device,
    source_type: 'blank',
    destination_type: 'volume',
    volume_size: size,
    delete_on_termination: true,
  });

  async function volumeOf(serverId: string, device: string) {
    const drivers = rig?.ctx.drivers;
    if (!drivers) throw new Error('no rig');
    const server = await drivers.compute.getServer(serverId);
    for (const { id } of server['os-extended-volumes:volumes_attached'] as { id: string }[]) {
      const volume = await drivers.blockStorage.getVolume(id);
      const attachment = (volume.attachments as { device: string }[])[0];
      if (attachment?.device.replace('/dev/', '') === device) return volume;
    }
    return null;
  }

  it('the fake Nova refuses data devices without a boot device, as Nova does', async () => {
    rig = makeRig11();
    const cirros = await rig.ctx.drivers.image.findImage('cirros');
    await expect(
      rig.ctx.drivers.compute.createServer({
        name: 'x',
        flavorRef: '1',
        imageRef: cirros?.id,
        block_device_mapping_v2: [disk(1)],
      }),
    ).rejects.toThrow(/Boot sequence for the instance and image\/block device mapping/);
  });

  it('boots from the image with data devices: the image is the root device Nova needs', async () => {
    rig = makeRig11();
    const bodies: Record<string, unknown>[] = [];
    rig.cloud.faults.add({
      service: 'compute',
      call: 'createServer',
      match: (args) => {
        bodies.push(args[0] as Record<string, unknown>);
        return false;
      },
    });
    await createNode11(rig, nova11Profile({ block_device_mapping_v2: [disk(1)] }));
    const cirros = await rig.ctx.drivers.image.findImage('cirros');
    expect(bodies[0]?.block_device_mapping_v2).toEqual([
      {
        uuid: cirros?.id,
        source_type: 'image',
        destination_type: 'local',
        boot_index: 0,
        delete_on_termination: true,
      },
      disk(1),
    ]);
  });

  it('grows a volume when the new spec makes its device larger', async () => {
    rig = makeRig11();
    const current = nova11Profile({ block_device_mapping_v2: [disk(1)] }, 'a');
    const next = nova11Profile({ block_device_mapping_v2: [disk(3)] }, 'b');
    const node = await createNode11(rig, current);
    expect((await volumeOf(node.physicalId ?? '', 'vdb'))?.size).toBe(1);
    const ctx = nodeContext(rig, node);
    expect(await nova.update(node, current, next, ctx.ctx, {})).toBe(true);
    const volume = await volumeOf(node.physicalId ?? '', 'vdb');
    expect(volume).toMatchObject({ size: 3, status: 'in-use' });
  });

  it('attaches added devices and detaches and deletes removed ones it made', async () => {
    rig = makeRig11();
    const current = nova11Profile({ block_device_mapping_v2: [disk(1)] }, 'a');
    const next = nova11Profile({ block_device_mapping_v2: [disk(2, 'vdc')] }, 'b');
    const node = await createNode11(rig, current);
    const old = await volumeOf(node.physicalId ?? '', 'vdb');
    const ctx = nodeContext(rig, node);
    await nova.update(node, current, next, ctx.ctx, {});
    expect(await volumeOf(node.physicalId ?? '', 'vdb')).toBeNull();
    expect(await volumeOf(node.physicalId ?? '', 'vdc')).toMatchObject({
      size: 2,
      status: 'in-use',
    });
    const oldNow = await rig.ctx.drivers.blockStorage.getVolume(old?.id ?? '');
    expect(oldNow.status).toBe('available');
    const records = ctx.data().block_devices as Record<string, { created?: boolean }>;
    expect(records['device:vdc']?.created).toBe(true);
    expect(records['device:vdb']).toBeUndefined();
    // A volume made by the update is deleted with the node.
    const made = (await volumeOf(node.physicalId ?? '', 'vdc'))?.id ?? '';
    await nova.delete({ ...node, data: ctx.data() }, next, ctx.ctx);
    await expect(rig.ctx.drivers.blockStorage.getVolume(made)).rejects.toThrow(
      /could not be found/,
    );
  });

  it('attaches a volume from a pool and returns it when the device is removed', async () => {
    rig = makeRig11();
    const pooled = await rig.ctx.drivers.blockStorage.createVolume({ size: 1, name: 'pv' });
    await rig.ctx.drivers.blockStorage.waitForVolume(pooled.id, 'available', { timeout: 5 });
    const current = nova11Profile({}, 'a');
    const next = nova11Profile(
      { block_device_mapping_v2: [{ device_name: 'vdd', pool: { volumes: [pooled.id] } }] },
      'b',
    );
    const node = await createNode11(rig, current);
    const ctx = nodeContext(rig, node);
    await nova.update(node, current, next, ctx.ctx, {});
    expect((await volumeOf(node.physicalId ?? '', 'vdd'))?.id).toBe(pooled.id);
    expect(rig.claims.rows.map((r) => r.resourceId)).toEqual([pooled.id]);
    await nova.update({ ...node, data: ctx.data() }, next, current, ctx.ctx, {});
    expect((await rig.ctx.drivers.blockStorage.getVolume(pooled.id)).status).toBe('available');
    expect(rig.claims.rows).toHaveLength(0);
  });

  it('a flavor change resizes the server and confirms it', async () => {
    rig = makeRig11();
    const current = nova11Profile({}, 'a');
    const next = nova11Profile({ flavor: 'm1.small' }, 'b');
    const node = await createNode11(rig, current);
    await nova.update(node, current, next, nodeContext(rig, node).ctx, {});
    const server = await rig.ctx.drivers.compute.getServer(node.physicalId ?? '');
    expect(server.status).toBe('ACTIVE');
    expect((server.flavor as { disk: number }).disk).toBe(20);
  });
});
