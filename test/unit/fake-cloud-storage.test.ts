import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeCloud, type FakeCloud } from '../../src/drivers/fake/index.js';
import {
  type CloudDrivers,
  CloudError,
  CloudNotFound,
  CloudWaitFailed,
  type Resource,
} from '../../src/drivers/types.js';

const creds = { userId: 'user-1', projectId: 'project-1' };
const wait = { timeout: 5 };
let cloud: FakeCloud;
let d: CloudDrivers;

beforeEach(() => {
  cloud = createFakeCloud();
  d = cloud.drivers(creds);
});
afterEach(() => cloud.close());

function statusOf(error: unknown): number | undefined {
  return error instanceof CloudError ? error.status : undefined;
}

async function volume(body: Record<string, unknown> = {}): Promise<Resource> {
  const created = await d.blockStorage.createVolume({ size: 1, name: 'vol', ...body });
  return d.blockStorage.waitForVolume(created.id, 'available', wait);
}

async function server(extra: Record<string, unknown> = {}): Promise<Resource> {
  const image = await d.compute.findImage('cirros');
  const created = await d.compute.createServer({
    name: 'srv',
    flavorRef: '1',
    imageRef: image?.id,
    ...extra,
  });
  return d.compute.waitForServer(created.id, 'ACTIVE', wait);
}

describe('fake Cinder volumes', () => {
  it('creates a volume that goes from creating to available', async () => {
    const created = await d.blockStorage.createVolume({ size: 2, name: 'data' });
    expect(created.status).toBe('creating');
    const ready = await d.blockStorage.waitForVolume(created.id, 'available', wait);
    expect(ready).toMatchObject({
      size: 2,
      volume_type: 'lvmdriver-1',
      'os-vol-tenant-attr:tenant_id': 'project-1',
    });
  });

  it('knows the volume types', async () => {
    expect((await d.blockStorage.findVolumeType('ssd'))?.name).toBe('ssd');
    expect(await d.blockStorage.findVolumeType('gold')).toBeNull();
    expect((await volume({ volume_type: 'ssd' })).volume_type).toBe('ssd');
  });

  it('refuses a size that is not a positive integer', async () => {
    const error = await d.blockStorage.createVolume({ size: 0 }).catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
  });

  it('refuses an unknown volume type with 404', async () => {
    await expect(
      d.blockStorage.createVolume({ size: 1, volume_type: 'gold' }),
    ).rejects.toBeInstanceOf(CloudNotFound);
  });

  it('makes a bootable volume from an image', async () => {
    const image = await d.compute.findImage('cirros');
    const vol = await volume({ imageRef: image?.id });
    expect(vol.bootable).toBe('true');
    expect((vol.volume_image_metadata as { image_id: string }).image_id).toBe(image?.id);
  });

  it('extends a volume and refuses to shrink it', async () => {
    const vol = await volume();
    await d.blockStorage.extendVolume(vol.id, 3);
    expect((await d.blockStorage.waitForVolume(vol.id, 'available', wait)).size).toBe(3);
    expect(statusOf(await d.blockStorage.extendVolume(vol.id, 2).catch((e: unknown) => e))).toBe(
      400,
    );
  });

  it('lists volumes by status, name and metadata', async () => {
    await volume({ name: 'a', metadata: { tier: 'gold' } });
    await volume({ name: 'b' });
    expect(
      (await d.blockStorage.listVolumes({ metadata: { tier: 'gold' } })).map((v) => v.name),
    ).toEqual(['a']);
    expect(await d.blockStorage.listVolumes({ status: 'available' })).toHaveLength(2);
    expect(await d.blockStorage.listVolumes({ name: 'b' })).toHaveLength(1);
  });

  it('deletes a volume', async () => {
    const vol = await volume();
    await d.blockStorage.deleteVolume(vol.id);
    await d.blockStorage.waitForVolumeDelete(vol.id, wait);
    await expect(d.blockStorage.getVolume(vol.id)).rejects.toBeInstanceOf(CloudNotFound);
  });

  it('goes to error with simulated_fail create', async () => {
    const created = await d.blockStorage.createVolume({
      size: 1,
      metadata: { simulated_fail: 'create' },
    });
    await expect(
      d.blockStorage.waitForVolume(created.id, 'available', wait),
    ).rejects.toBeInstanceOf(CloudWaitFailed);
    expect((await d.blockStorage.getVolume(created.id)).status).toBe('error');
  });

  it('fails the delete wait with simulated_fail delete', async () => {
    const vol = await volume({ metadata: { simulated_fail: 'delete' } });
    await d.blockStorage.deleteVolume(vol.id);
    await expect(d.blockStorage.waitForVolumeDelete(vol.id, wait)).rejects.toBeInstanceOf(
      CloudWaitFailed,
    );
    expect((await d.blockStorage.getVolume(vol.id)).status).toBe('error_deleting');
  });
});

describe('fake Cinder snapshots', () => {
  it('snapshots a volume and refuses to delete the volume while the snapshot exists', async () => {
    const vol = await volume({ size: 4 });
    const snap = await d.blockStorage.createSnapshot({ volume_id: vol.id, name: 's1' });
    expect(snap.status).toBe('creating');
    const ready = await d.blockStorage.waitForSnapshot(snap.id, 'available', wait);
    expect(ready.size).toBe(4);
    expect(statusOf(await d.blockStorage.deleteVolume(vol.id).catch((e: unknown) => e))).toBe(400);
    await d.blockStorage.deleteSnapshot(snap.id);
    await d.blockStorage.deleteVolume(vol.id);
    await d.blockStorage.waitForVolumeDelete(vol.id, wait);
    await expect(d.blockStorage.getSnapshot(snap.id)).rejects.toBeInstanceOf(CloudNotFound);
  });

  it('creates a volume from a snapshot', async () => {
    const vol = await volume({ size: 2 });
    const snap = await d.blockStorage.createSnapshot({ volume_id: vol.id });
    await d.blockStorage.waitForSnapshot(snap.id, 'available', wait);
    const copy = await volume({ snapshot_id: snap.id, size: undefined });
    expect(copy).toMatchObject({ size: 2, snapshot_id: snap.id });
  });

  it('refuses to snapshot an attached volume without force', async () => {
    const srv = await server();
    const vol = await volume();
    await d.compute.attachVolume(srv.id, vol.id);
    await d.blockStorage.waitForVolume(vol.id, 'in-use', wait);
    const error = await d.blockStorage
      .createSnapshot({ volume_id: vol.id })
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
    const forced = await d.blockStorage.createSnapshot({ volume_id: vol.id, force: true });
    expect(forced.volume_id).toBe(vol.id);
  });
});

describe('fake volume attachments', () => {
  it('attaches a volume: attaching, then in-use and listed on the server', async () => {
    const srv = await server();
    const vol = await volume();
    cloud.defaultDelay = 0.05;
    const attachment = await d.compute.attachVolume(srv.id, vol.id);
    expect(attachment).toMatchObject({ volumeId: vol.id, serverId: srv.id, device: '/dev/vdb' });
    expect((await d.blockStorage.getVolume(vol.id)).status).toBe('attaching');
    const inUse = await d.blockStorage.waitForVolume(vol.id, 'in-use', wait);
    expect((inUse.attachments as { server_id: string }[])[0]?.server_id).toBe(srv.id);
    const attached = (await d.compute.getServer(srv.id))['os-extended-volumes:volumes_attached'];
    expect(attached).toEqual([{ id: vol.id, delete_on_termination: false }]);
  });

  it('detaches a volume: detaching, then available', async () => {
    const srv = await server();
    const vol = await volume();
    await d.compute.attachVolume(srv.id, vol.id);
    await d.blockStorage.waitForVolume(vol.id, 'in-use', wait);
    await d.compute.detachVolume(srv.id, vol.id);
    const free = await d.blockStorage.waitForVolume(vol.id, 'available', wait);
    expect(free.attachments).toEqual([]);
  });

  it('refuses to attach a volume that is in use', async () => {
    const a = await server();
    const b = await server();
    const vol = await volume();
    await d.compute.attachVolume(a.id, vol.id);
    expect(statusOf(await d.compute.attachVolume(b.id, vol.id).catch((e: unknown) => e))).toBe(400);
  });

  it('refuses to delete an attached volume', async () => {
    const srv = await server();
    const vol = await volume();
    await d.compute.attachVolume(srv.id, vol.id);
    await d.blockStorage.waitForVolume(vol.id, 'in-use', wait);
    expect(statusOf(await d.blockStorage.deleteVolume(vol.id).catch((e: unknown) => e))).toBe(400);
  });

  it('frees attached volumes when the server is deleted', async () => {
    const srv = await server();
    const vol = await volume();
    await d.compute.attachVolume(srv.id, vol.id);
    await d.compute.deleteServer(srv.id);
    await d.compute.waitForServerDelete(srv.id, wait);
    expect((await d.blockStorage.waitForVolume(vol.id, 'available', wait)).attachments).toEqual([]);
  });

  it('boots from a new volume made from an image and deletes it with the server', async () => {
    const image = await d.compute.findImage('cirros');
    const created = await d.compute.createServer({
      name: 'bfv',
      flavorRef: '1',
      block_device_mapping_v2: [
        {
          source_type: 'image',
          destination_type: 'volume',
          uuid: image?.id,
          volume_size: 2,
          boot_index: 0,
          delete_on_termination: true,
        },
      ],
    });
    const srv = await d.compute.waitForServer(created.id, 'ACTIVE', wait);
    expect(srv.image).toBe('');
    const [attached] = srv['os-extended-volumes:volumes_attached'] as { id: string }[];
    const boot = await d.blockStorage.getVolume(String(attached?.id));
    expect(boot).toMatchObject({ status: 'in-use', bootable: 'true', size: 2 });
    expect(statusOf(await d.compute.detachVolume(srv.id, boot.id).catch((e: unknown) => e))).toBe(
      400,
    );
    await d.compute.deleteServer(srv.id);
    await d.blockStorage.waitForVolumeDelete(boot.id, wait);
  });

  it('boots from an existing volume', async () => {
    const image = await d.compute.findImage('cirros');
    const vol = await volume({ imageRef: image?.id });
    const created = await d.compute.createServer({
      name: 'bfv',
      flavorRef: '1',
      block_device_mapping_v2: [
        { source_type: 'volume', destination_type: 'volume', uuid: vol.id, boot_index: 0 },
      ],
    });
    await d.compute.waitForServer(created.id, 'ACTIVE', wait);
    expect((await d.blockStorage.waitForVolume(vol.id, 'in-use', wait)).status).toBe('in-use');
  });

  it('refuses to boot without an image or a boot volume', async () => {
    const error = await d.compute
      .createServer({ name: 'x', flavorRef: '1' })
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
  });
});

describe('fake Glance', () => {
  it('finds, gets and deletes images', async () => {
    const image = (await d.image.findImage('cirros')) as Resource;
    expect((await d.image.getImage(image.id)).name).toBe('cirros');
    await d.image.deleteImage(image.id);
    expect(await d.image.findImage('cirros')).toBeNull();
    await expect(d.image.getImage(image.id)).rejects.toBeInstanceOf(CloudNotFound);
  });

  it('marks a failed server snapshot as killed', async () => {
    const srv = await server({ metadata: { simulated_fail: 'snapshot' } });
    const id = await d.compute.createServerImage(srv.id, 'broken');
    await expect(d.image.waitForImage(id, 'active', wait)).rejects.toBeInstanceOf(CloudWaitFailed);
    expect((await d.image.getImage(id)).status).toBe('killed');
    expect((await d.compute.getServer(srv.id)).status).toBe('ACTIVE');
  });
});
