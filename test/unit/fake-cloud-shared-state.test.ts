import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeCloud, type FakeCloud } from '../../src/drivers/fake/index.js';
import { type CloudError, CloudNotFound, type Resource } from '../../src/drivers/types.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const creds = { userId: 'user-1', projectId: 'project-1' };
const wait = { timeout: 5 };
let dir: string;
let statePath: string;
let a: FakeCloud;
let b: FakeCloud;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'senlin-fake-cloud-'));
  statePath = join(dir, 'cloud.sqlite');
  a = createFakeCloud({ statePath });
  b = createFakeCloud({ statePath });
});
afterEach(async () => {
  await a.close();
  await b.close();
  rmSync(dir, { recursive: true, force: true });
});

async function boot(cloud: FakeCloud, metadata: Record<string, string> = {}): Promise<Resource> {
  const d = cloud.drivers(creds);
  const image = await d.compute.findImage('cirros');
  return d.compute.createServer({ name: 'shared', flavorRef: '1', imageRef: image?.id, metadata });
}

describe('a fake cloud shared through a state file', () => {
  it('is seeded once, with the same catalogue ids for every opener', async () => {
    const imageA = await a.drivers(creds).compute.findImage('cirros');
    const imageB = await b.drivers(creds).compute.findImage('cirros');
    expect(imageA?.id).toBe(imageB?.id);
    expect(await b.drivers(creds).compute.listHypervisors()).toHaveLength(2);
  });

  it('shows a server made by one opener to the other', async () => {
    const server = await boot(a);
    const seen = await b.drivers(creds).compute.waitForServer(server.id, 'ACTIVE', wait);
    expect(seen.addresses).toEqual((await a.drivers(creds).compute.getServer(server.id)).addresses);
  });

  it('runs a transition started by one opener to its end for the other', async () => {
    const server = await boot(a, { simulated_wait_time: '0.2' });
    const other = b.drivers(creds).compute;
    expect((await other.getServer(server.id)).status).toBe('BUILD');
    await expect(other.waitForServer(server.id, 'ACTIVE', wait)).resolves.toMatchObject({
      status: 'ACTIVE',
    });
  });

  it('wakes a wait of one opener when the other changes the server', async () => {
    const server = await boot(a);
    await a.drivers(creds).compute.waitForServer(server.id, 'ACTIVE', wait);
    const waiting = b.drivers(creds).compute.waitForServer(server.id, 'SHUTOFF', wait);
    await a.drivers(creds).compute.serverAction(server.id, 'stop');
    await expect(waiting).resolves.toMatchObject({ status: 'SHUTOFF' });
  });

  it('ends a delete wait of one opener when the other deletes', async () => {
    const server = await boot(a);
    const waiting = b.drivers(creds).compute.waitForServerDelete(server.id, wait);
    a.destroyServer(server.id);
    await expect(waiting).resolves.toBeUndefined();
    await expect(b.drivers(creds).compute.getServer(server.id)).rejects.toBeInstanceOf(
      CloudNotFound,
    );
  });

  it('never gives the same address twice across openers', async () => {
    const servers: Resource[] = [];
    for (let i = 0; i < 10; i += 1) servers.push(await boot(i % 2 === 0 ? a : b));
    const ips = servers.map(
      (s) => (s.addresses as Record<string, { addr: string }[]>).private?.[0]?.addr,
    );
    expect(new Set(ips).size).toBe(10);
  });

  it('shares stacks, load balancers, queues and trusts', async () => {
    const da = a.drivers(creds);
    const db = b.drivers(creds);
    const stack = await da.orchestration.createStack({
      stack_name: 's1',
      template: { heat_template_version: '2016-10-14' },
    });
    await db.orchestration.waitForStack(stack.id, 'CREATE_COMPLETE', wait);
    const subnet = await da.network.findSubnet('private-subnet');
    const lb = await da.loadBalancer.createLoadBalancer({ vip_subnet_id: subnet?.id });
    await db.loadBalancer.waitForLoadBalancer(lb.id, 'ACTIVE', wait);
    await da.message.postMessages('q', [{ body: 'hello' }]);
    expect((await db.message.claimMessages('q')).messages.map((m) => m.body)).toEqual(['hello']);
    await da.identity.createTrust({
      trustorUserId: 'u',
      trusteeUserId: 't',
      projectId: 'p',
      roles: ['r'],
    });
    expect(await db.identity.findTrust('u', 't', 'p')).not.toBeNull();
  });

  it('is seen by a child process', async () => {
    const server = await boot(a);
    const script = join(dir, 'child.mts');
    const module = pathToFileURL(join(root, 'src', 'drivers', 'fake', 'index.ts')).href;
    writeFileSync(
      script,
      `import { createFakeCloud } from ${JSON.stringify(module)};
const cloud = createFakeCloud({ statePath: process.argv[2] });
const compute = cloud.drivers({ userId: 'child', projectId: 'child-project' }).compute;
const seen = await compute.waitForServer(process.argv[3], 'ACTIVE', { timeout: 5 });
const image = await compute.findImage('cirros');
const made = await compute.createServer({ name: 'from-child', flavorRef: '1', imageRef: image.id });
process.stdout.write(JSON.stringify({ seen: seen.status, made: made.id }));
await cloud.close();
`,
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', script, statePath, server.id],
      { cwd: root },
    );
    const out = JSON.parse(stdout) as { seen: string; made: string };
    expect(out.seen).toBe('ACTIVE');
    const made = await a.drivers(creds).compute.waitForServer(out.made, 'ACTIVE', wait);
    expect(made).toMatchObject({ name: 'from-child', tenant_id: 'child-project' });
  }, 30_000);
});

describe.each([
  ['in memory', () => createFakeCloud()],
  ['in a state file', () => createFakeCloud({ statePath: join(dir, 'own.sqlite') })],
])('a fake cloud %s', (_label, make) => {
  let cloud: FakeCloud;
  beforeEach(() => {
    cloud = make();
  });
  afterEach(() => cloud.close());

  it('leaves nothing behind when a request fails half way', async () => {
    const network = cloud.drivers(creds).network;
    const net = await network.findNetwork('private');
    await network.createPort({ network_id: net?.id, fixed_ips: [{ ip_address: '10.0.50.2' }] });
    const error = await network
      .createPort({
        network_id: net?.id,
        fixed_ips: [{ ip_address: '10.0.50.1' }, { ip_address: '10.0.50.2' }],
      })
      .catch((e: unknown) => e);
    expect((error as CloudError).status).toBe(409);
    expect(await network.listPorts()).toHaveLength(1);
    const again = await network.createPort({
      network_id: net?.id,
      fixed_ips: [{ ip_address: '10.0.50.1' }],
    });
    expect((again.fixed_ips as { ip_address: string }[])[0]?.ip_address).toBe('10.0.50.1');
  });

  it('runs a server through create, resize, stop and delete', async () => {
    const compute = cloud.drivers(creds).compute;
    const server = await boot(cloud);
    await compute.waitForServer(server.id, 'ACTIVE', wait);
    await compute.resizeServer(server.id, '2');
    await compute.waitForServer(server.id, 'VERIFY_RESIZE', wait);
    await compute.confirmServerResize(server.id);
    await compute.waitForServer(server.id, 'ACTIVE', wait);
    await compute.serverAction(server.id, 'stop');
    await compute.waitForServer(server.id, 'SHUTOFF', wait);
    await compute.deleteServer(server.id);
    await compute.waitForServerDelete(server.id, wait);
    expect(cloud.listAllServers()).toEqual([]);
    expect(cloud.listAllPorts()).toEqual([]);
  });

  it('lists documents in creation order', async () => {
    const names = ['one', 'two', 'three'];
    const compute = cloud.drivers(creds).compute;
    const image = await compute.findImage('cirros');
    for (const name of names)
      await compute.createServer({ name, flavorRef: '1', imageRef: image?.id });
    const first = cloud.listAllServers()[0] as Resource;
    await compute.updateServer(first.id, { name: 'one' });
    expect(cloud.listAllServers().map((s) => s.name)).toEqual(names);
  });
});
