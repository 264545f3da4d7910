import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeCloud, type FakeCloud } from '../../src/drivers/fake/index.js';

let cloud: FakeCloud;

beforeEach(() => {
  cloud = createFakeCloud();
});
afterEach(() => cloud.close());

describe('many servers at once', () => {
  it('creates and waits for 2000 servers in parallel', async () => {
    const compute = cloud.drivers({ userId: 'u', projectId: 'p' }).compute;
    const image = await compute.findImage('cirros');
    const servers = await Promise.all(
      Array.from({ length: 2000 }, async (_, i) => {
        const created = await compute.createServer({
          name: `node-${i}`,
          flavorRef: '1',
          imageRef: image?.id,
          metadata: { cluster_id: 'big' },
        });
        return compute.waitForServer(created.id, 'ACTIVE', { timeout: 30 });
      }),
    );
    expect(servers.every((s) => s.status === 'ACTIVE')).toBe(true);
    const ips = servers.map(
      (s) => (s.addresses as Record<string, { addr: string }[]>).private?.[0]?.addr,
    );
    expect(new Set(ips).size).toBe(2000);
    const hypervisors = await compute.listHypervisors();
    expect(hypervisors.map((h) => h.running_vms)).toEqual([1000, 1000]);
    expect(await compute.listServers({ metadata: { cluster_id: 'big' } })).toHaveLength(2000);
  });
});
