/** The block storage part of the driver contract: a volume's life, attached to a server. */
import { afterEach, expect, it } from 'vitest';
import { type CloudDrivers, CloudNotFound, type WaitOptions } from '../../src/drivers/types.js';
import { Cleanup, type TargetRef, uniqueName } from './target.js';

/** Polls until the snapshot is gone (the interface has no wait for it). */
async function snapshotGone(drivers: CloudDrivers, id: string, wait: WaitOptions): Promise<void> {
  const deadline = Date.now() + wait.timeout * 1000;
  for (;;) {
    try {
      await drivers.blockStorage.getSnapshot(id);
    } catch (error) {
      if (error instanceof CloudNotFound) return;
      throw error;
    }
    if (Date.now() > deadline) throw new Error(`Snapshot ${id} was not deleted in time.`);
    await new Promise((resolve) => setTimeout(resolve, (wait.interval ?? 1) * 1000));
  }
}

/** Registers the block storage scenarios. */
export function volumeScenarios(target: TargetRef): void {
  let cleanup = new Cleanup();
  afterEach(async () => {
    const failures = await cleanup.run();
    cleanup = new Cleanup();
    expect(failures).toEqual([]);
  });

  it('creates, extends, snapshots and deletes a volume', async () => {
    const t = target();
    const storage = t.drivers.blockStorage;
    const name = uniqueName(t, 'volume');
    const made = await storage.createVolume({ size: 1, name, metadata: { contract: t.prefix } });
    cleanup.add(async () => {
      await storage.deleteVolume(made.id);
      await storage.waitForVolumeDelete(made.id, t.wait);
    });
    const volume = await storage.waitForVolume(made.id, 'available', t.wait);
    expect([volume.name, volume.size, volume.status]).toEqual([name, 1, 'available']);
    const listed = await storage.listVolumes({ metadata: { contract: t.prefix } });
    expect(listed.map((v) => v.id)).toContain(made.id);
    expect((await storage.listVolumes({ name })).map((v) => v.id)).toEqual([made.id]);

    await storage.extendVolume(made.id, 2);
    const bigger = await storage.waitForVolume(made.id, 'available', t.wait);
    expect(bigger.size).toBe(2);

    const snap = await storage.createSnapshot({ volume_id: made.id, name: uniqueName(t, 'snap') });
    cleanup.add(async () => {
      await storage.deleteSnapshot(snap.id);
      await snapshotGone(t.drivers, snap.id, t.wait);
    });
    const ready = await storage.waitForSnapshot(snap.id, 'available', t.wait);
    expect(ready.volume_id).toBe(made.id);
    await storage.deleteSnapshot(snap.id);
    await snapshotGone(t.drivers, snap.id, t.wait);

    await storage.deleteVolume(made.id);
    await storage.waitForVolumeDelete(made.id, t.wait);
    await expect(storage.getVolume(made.id)).rejects.toBeInstanceOf(CloudNotFound);
  });

  it('attaches a volume to a server and detaches it', async () => {
    const t = target();
    const { compute, blockStorage: storage, network, image } = t.drivers;
    const net = await network.findNetwork(t.network);
    const server = await compute.createServer({
      name: uniqueName(t, 'vol-server'),
      flavorRef: (await compute.findFlavor(t.flavor))?.id,
      imageRef: (await image.findImage(t.image))?.id,
      networks: [{ uuid: net?.id }],
    });
    cleanup.add(async () => {
      await compute.deleteServer(server.id);
      await compute.waitForServerDelete(server.id, t.wait);
    });
    const volume = await storage.createVolume({ size: 1, name: uniqueName(t, 'attached') });
    cleanup.add(async () => {
      await storage.deleteVolume(volume.id);
      await storage.waitForVolumeDelete(volume.id, t.wait);
    });
    await Promise.all([
      compute.waitForServer(server.id, 'ACTIVE', t.wait),
      storage.waitForVolume(volume.id, 'available', t.wait),
    ]);

    const attachment = await compute.attachVolume(server.id, volume.id);
    expect([attachment.volumeId, attachment.serverId]).toEqual([volume.id, server.id]);
    expect(String(attachment.device)).toMatch(/^\/dev\//);
    const inUse = await storage.waitForVolume(volume.id, 'in-use', t.wait);
    const attachments = inUse.attachments as { server_id: string }[];
    expect(attachments.map((a) => a.server_id)).toEqual([server.id]);
    const shown = await compute.getServer(server.id);
    const attached = shown['os-extended-volumes:volumes_attached'] as { id: string }[];
    expect(attached.map((v) => v.id)).toEqual([volume.id]);

    await compute.detachVolume(server.id, volume.id);
    const free = await storage.waitForVolume(volume.id, 'available', t.wait);
    expect(free.attachments).toEqual([]);
  });
}
