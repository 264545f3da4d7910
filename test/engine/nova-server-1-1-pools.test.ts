/**
 * Two engines sharing one database and one (fake) cloud create the nodes of one cluster at the
 * same time from a volume pool and a fixed IP pool: no volume or address is given to two
 * nodes, the node left without a volume fails with the pool's reason, and deleting the cluster
 * gives everything back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { syncSchema } from '../../src/db/migrate.js';
import { listClusterNodes } from '../../src/db/queries/nodes.js';
import { createFakeCloud } from '../../src/drivers/fake/index.js';
import { testDialects } from '../db/dialects.js';
import { createProfile, request, requestClusterCreate } from '../support/clusters.js';
import { startEngine, testConfig, testServices, waitForAction } from '../support/engine.js';

const dialects = await testDialects();
const dir = mkdtempSync(join(tmpdir(), 'senlin-pools-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(dialects)('two engines taking from one pool on $name', (dialect) => {
  it('never give one volume or address to two nodes, and fail only the node left without', async () => {
    const url = (await dialect.freshDatabase()).url;
    const stateFile = join(dir, `cloud-${dialect.name}.sqlite`);
    const dbA = await openDatabase({ connection: url });
    await syncSchema(dbA);
    const dbB = await openDatabase({ connection: url });
    const cloudA = createFakeCloud({ statePath: stateFile });
    const cloudB = createFakeCloud({ statePath: stateFile });
    const config = testConfig({ engine: { threads: 3 } });
    const svcA = testServices(dbA, { backend: cloudA, config });
    const svcB = testServices(dbB, { backend: cloudB, config });
    const user = cloudA.drivers({ userId: 'u1', projectId: 'p1' });
    const pool: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const v = await user.blockStorage.createVolume({ size: 1, name: `pv-${i}` });
      pool.push(v.id);
    }
    const creates = { a: 0, b: 0 };
    for (const [cloud, key] of [
      [cloudA, 'a'],
      [cloudB, 'b'],
    ] as const) {
      cloud.faults.add({
        service: 'compute',
        call: 'createServer',
        match: () => {
          creates[key] += 1;
          return false;
        },
      });
    }
    const engineA = await startEngine(svcA);
    const engineB = await startEngine(svcB);
    try {
      const profileId = await createProfile(svcA, {
        type: 'os.nova.server',
        version: '1.1',
        properties: {
          flavor: 'm1.tiny',
          image: 'cirros',
          metadata: { simulated_wait_time: '0.3' },
          block_device_mapping_v2: [{ device_name: 'vdb', pool: { volumes: pool } }],
          networks: [{ network: 'private', pool: { fixed_ips: ['10.0.7.1-10.0.7.8'] } }],
        },
      });
      const { clusterId, actionId } = await requestClusterCreate(svcA, profileId, {
        desiredCapacity: 5,
      });
      const created = await waitForAction(dbA, actionId, undefined, 60_000);
      expect(created.status).toBe('FAILED');
      // The cluster action fails with its first failed child; wait for the others.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const busy = await dbA.kysely
          .selectFrom('action')
          .select('id')
          .where('action', '=', 'NODE_CREATE')
          .where('status', 'in', ['READY', 'RUNNING', 'WAITING'])
          .execute();
        if (busy.length === 0 || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 50));
      }

      const nodes = await dbA.retry((k) => listClusterNodes(k, clusterId));
      const active = nodes.filter((n) => n.status === 'ACTIVE');
      const failed = nodes.filter((n) => n.status === 'ERROR');
      expect(active).toHaveLength(4);
      expect(failed).toHaveLength(1);
      expect(failed[0]?.statusReason).toBe(
        "Failed in creating server: the volume pool of block device 'vdb' has no available volume left.",
      );
      // Both engines created servers (each runs at most three actions at once).
      expect(creates.a).toBeGreaterThan(0);
      expect(creates.b).toBeGreaterThan(0);

      const volumes = new Set<string>();
      const addresses = new Set<string>();
      for (const node of active) {
        const server = await user.compute.getServer(node.physicalId ?? '');
        for (const { id } of server['os-extended-volumes:volumes_attached'] as { id: string }[]) {
          volumes.add(id);
        }
        for (const iface of await user.compute.listServerInterfaces(node.physicalId ?? '')) {
          for (const ip of iface.fixed_ips as { ip_address: string }[])
            addresses.add(ip.ip_address);
        }
      }
      expect([...volumes].sort()).toEqual([...pool].sort());
      expect(addresses.size).toBe(4);
      const claims = await dbA.kysely.selectFrom('senlin_ts_pool_claim').selectAll().execute();
      expect(claims.filter((c) => c.kind === 'volume')).toHaveLength(4);

      const del = await waitForAction(
        dbA,
        await request(svcA, 'CLUSTER_DELETE', clusterId),
        undefined,
        60_000,
      );
      expect(del.status, del.statusReason).toBe('SUCCEEDED');
      expect(await dbA.kysely.selectFrom('senlin_ts_pool_claim').selectAll().execute()).toEqual([]);
      for (const id of pool)
        expect((await user.blockStorage.getVolume(id)).status).toBe('available');
    } finally {
      await engineA.stop();
      await engineB.stop();
      await cloudA.close();
      await cloudB.close();
      await dbA.close();
      await dbB.close();
    }
  });
});
