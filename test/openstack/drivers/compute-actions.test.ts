/**
 * Server actions of the compute driver against the lab's Nova (fake compute hosts): power and
 * pause states, lock, reboot, rescue, password, interfaces, snapshots, and as an administrator
 * cold and live migration between the two hosts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenStackBackend } from '../../../src/drivers/openstack/backend.js';
import type { CloudDrivers, Resource, WaitOptions } from '../../../src/drivers/types.js';
import { LAB, labBackend, labReachable, userContext, userSession } from './lab.js';

const reachable = await labReachable();
const wait: WaitOptions = { timeout: 240, interval: 1 };
const HOST = 'OS-EXT-SRV-ATTR:host';
let backend: OpenStackBackend;
let demoDrivers: CloudDrivers;
let member: CloudDrivers;
let admin: CloudDrivers;
let trust: Resource | null = null;
let server: Resource | null = null;

async function boot(name: string): Promise<Resource> {
  const net = await member.network.findNetwork(LAB.network);
  const made = await member.compute.createServer({
    name,
    flavorRef: (await member.compute.findFlavor(LAB.flavor))?.id,
    imageRef: (await member.image.findImage(LAB.image))?.id,
    networks: [{ uuid: net?.id }],
  });
  return member.compute.waitForServer(made.id, 'ACTIVE', wait);
}

beforeAll(async () => {
  if (!reachable) return;
  backend = labBackend();
  const auth = await userSession('demo').auth();
  const ids = { userId: auth.userId, projectId: String(auth.projectId) };
  demoDrivers = backend.drivers({ ...ids, context: userContext('demo') });
  trust = await demoDrivers.identity.createTrust({
    trustorUserId: ids.userId,
    trusteeUserId: await demoDrivers.identity.serviceUserId(),
    projectId: ids.projectId,
    roles: ['member'],
  });
  member = backend.drivers({ ...ids, trustId: trust.id });
  admin = backend.drivers({ userId: 'admin', projectId: 'admin', context: userContext('admin') });
  server = await boot('senlin-ts-actions');
});

afterAll(async () => {
  if (!reachable) return;
  if (server) {
    await member.compute.serverAction(server.id, 'unlock').catch(() => undefined);
    await member.compute.deleteServer(server.id).catch(() => undefined);
    await member.compute.waitForServerDelete(server.id, wait).catch(() => undefined);
  }
  if (trust) await demoDrivers.identity.deleteTrust(trust.id).catch(() => undefined);
  await backend.close();
});

describe.skipIf(!reachable)('server actions on the lab', () => {
  const id = (): string => String(server?.id);

  it('stops, starts, pauses, unpauses, suspends and resumes a server', async () => {
    const c = member.compute;
    const steps: [Parameters<typeof c.serverAction>[1], string][] = [
      ['stop', 'SHUTOFF'],
      ['start', 'ACTIVE'],
      ['pause', 'PAUSED'],
      ['unpause', 'ACTIVE'],
      ['suspend', 'SUSPENDED'],
      ['resume', 'ACTIVE'],
    ];
    for (const [action, status] of steps) {
      await c.serverAction(id(), action);
      expect((await c.waitForServer(id(), status, wait)).status).toBe(status);
    }
  });

  it('reboots softly and hardly, rescues and sets the password', async () => {
    const c = member.compute;
    await c.rebootServer(id(), 'SOFT');
    await c.waitForServer(id(), 'ACTIVE', wait);
    await c.rebootServer(id(), 'HARD');
    await c.waitForServer(id(), 'ACTIVE', wait);
    await c.rescueServer(id(), { adminPass: 'Rescue-pass-1' });
    await c.waitForServer(id(), 'RESCUE', wait);
    await c.serverAction(id(), 'unrescue');
    await c.waitForServer(id(), 'ACTIVE', wait);
    await c.changeServerPassword(id(), 'New-pass-1');
    expect((await c.waitForServer(id(), 'ACTIVE', wait)).status).toBe('ACTIVE');
  });

  it('locks a server against deletion until it is unlocked', async () => {
    const c = member.compute;
    await c.serverAction(id(), 'lock');
    expect((await c.getServer(id())).locked).toBe(true);
    const refused = await c.deleteServer(id()).then(
      () => null,
      (e: unknown) => e as { status?: number },
    );
    expect(refused?.status).toBe(409);
    await c.serverAction(id(), 'unlock');
    expect((await c.getServer(id())).locked).toBe(false);
  });

  it('plugs a new interface on a network and unplugs it', async () => {
    const c = member.compute;
    const net = await member.network.findNetwork(LAB.network);
    const plugged = await c.createServerInterface(id(), { netId: String(net?.id) });
    expect(plugged.net_id).toBe(net?.id);
    expect((await c.listServerInterfaces(id())).map((i) => i.id)).toContain(plugged.id);
    await c.deleteServerInterface(id(), plugged.id);
    const deadline = Date.now() + 60_000;
    while ((await c.listServerInterfaces(id())).some((i) => i.id === plugged.id)) {
      if (Date.now() > deadline) throw new Error('the interface stayed plugged');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  });

  it('makes an image of a server that becomes active', async () => {
    const imageId = await member.compute.createServerImage(id(), 'senlin-ts-snapshot', {
      purpose: 'contract',
    });
    try {
      const image = await member.image.waitForImage(imageId, 'active', wait);
      expect([image.name, image.purpose, image.status]).toEqual([
        'senlin-ts-snapshot',
        'contract',
        'active',
      ]);
      await member.compute.waitForServer(id(), 'ACTIVE', wait);
    } finally {
      await member.image.deleteImage(imageId);
    }
  });

  it('migrates a server cold and live to the other host as an administrator', async () => {
    const c = admin.compute;
    const before = String((await c.getServer(id()))[HOST]);
    await c.migrateServer(id());
    await c.waitForServer(id(), 'VERIFY_RESIZE', wait);
    await c.confirmServerResize(id());
    const moved = await c.waitForServer(id(), 'ACTIVE', wait);
    expect(moved[HOST]).not.toBe(before);
    await c.liveMigrateServer(id(), { host: null });
    const deadline = Date.now() + 120_000;
    let back = await c.waitForServer(id(), 'ACTIVE', wait);
    while (back[HOST] === moved[HOST] || back['OS-EXT-STS:task_state']) {
      if (Date.now() > deadline) throw new Error('the live migration did not finish');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      back = await c.waitForServer(id(), 'ACTIVE', wait);
    }
    expect(back[HOST]).toBe(before);
  });
});
