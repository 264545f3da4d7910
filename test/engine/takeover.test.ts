/**
 * An engine process killed in the middle of a 20-node cluster create: a second engine notices
 * it stopped heartbeating, fails its work, releases its locks, and the cluster can then be
 * deleted without leaving a server behind in the (shared) fake cloud.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { syncSchema } from '../../src/db/migrate.js';
import { listClusterNodes } from '../../src/db/queries/nodes.js';
import { createFakeCloud } from '../../src/drivers/fake/index.js';
import { testDialects } from '../db/dialects.js';
import { createProfile, novaSpec, request, requestClusterCreate } from '../support/clusters.js';
import { startEngine, testConfig, testServices, waitForAction } from '../support/engine.js';

const dialects = await testDialects();

const dir = mkdtempSync(join(tmpdir(), 'senlin-takeover-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(dialects)('an engine killed while creating a cluster on $name', (dialect) => {
  it('is taken over by another engine: nothing stays running or locked, and nothing leaks', async () => {
    const url = (await dialect.freshDatabase()).url;
    const stateFile = join(dir, `cloud-${dialect.name}.sqlite`);
    const conf = join(dir, `senlin-${dialect.name}.conf`);
    writeFileSync(
      conf,
      `[DEFAULT]\nauth_strategy = noauth\ncloud_backend = openstack_test\nperiodic_interval = 1\n[engine]\npoll_interval = 0.05\n[database]\nconnection = ${url}\n[fake_cloud]\nstate_file = ${stateFile}\n`,
    );
    const db = await openDatabase({ connection: url });
    await syncSchema(db);
    const backend = createFakeCloud({ statePath: stateFile });
    const svc = testServices(db, {
      backend,
      config: testConfig({ DEFAULT: { periodic_interval: 1 } }),
    });

    // Engine A: a separate process that will be killed.
    const cli = new URL('../../src/cmd/cli.ts', import.meta.url).pathname;
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), cli, 'engine', '--config-file', conf],
      {
        cwd: dir,
        env: { ...process.env, HOME: dir },
      },
    );
    let log = '';
    child.stdout.on('data', (c: Buffer) => {
      log += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      log += c.toString();
    });
    await until('engine A to start', async () => log.includes('engine started'));

    const profileId = await createProfile(svc, novaSpec({ simulated_wait_time: '3' }));
    const { clusterId, actionId } = await requestClusterCreate(svc, profileId, {
      desiredCapacity: 20,
    });
    await until('nodes being created by engine A', async () => {
      const running = await db.kysely
        .selectFrom('action')
        .select('id')
        .where('action', '=', 'NODE_CREATE')
        .where('status', '=', 'RUNNING')
        .execute();
      return running.length >= 5 && (await backend.listAllServers()).length >= 5;
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));

    // Engine B, in this process, takes over.
    const engine = await startEngine(svc);
    try {
      const created = await waitForAction(
        db,
        actionId,
        ['FAILED', 'SUCCEEDED', 'CANCELLED'],
        30_000,
      );
      expect(created.status).toBe('FAILED');
      expect(created.statusReason).toBe('Engine failure');
      await until('every action to end', async () => {
        const busy = await db.kysely
          .selectFrom('action')
          .select('id')
          .where('status', 'in', ['RUNNING', 'WAITING', 'READY', 'SUSPENDED'])
          .execute();
        return busy.length === 0;
      });
      expect(await db.kysely.selectFrom('cluster_lock').selectAll().execute()).toEqual([]);
      expect(await db.kysely.selectFrom('node_lock').selectAll().execute()).toEqual([]);
      expect(
        await db.kysely
          .selectFrom('service')
          .select('id')
          .where('id', '!=', svc.engineId)
          .execute(),
      ).toEqual([]);

      const del = await waitForAction(
        db,
        await request(svc, 'CLUSTER_DELETE', clusterId),
        undefined,
        60_000,
      );
      expect(del.status, del.statusReason).toBe('SUCCEEDED');
      expect(await svc.db.retry((k) => listClusterNodes(k, clusterId))).toEqual([]);
      const known = new Set(
        (await db.kysely.selectFrom('node').select('physical_id').execute()).map(
          (r) => r.physical_id,
        ),
      );
      const leaked = (await backend.listAllServers()).filter((s) => !known.has(s.id));
      expect(leaked).toEqual([]);
    } finally {
      await engine.stop();
      await backend.close();
      await db.close();
    }
  });
});
