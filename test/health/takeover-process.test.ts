/**
 * A `senlin-ts health-manager` process killed while it owns a cluster's health registration:
 * a second health manager takes the registration over once the first stops heartbeating, and
 * recovers the node that broke after the kill (in a fake cloud shared through a state file).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/common/ids.js';
import { toDbBool, toDbJson } from '../../src/db/codec.js';
import { openDatabase } from '../../src/db/connection.js';
import { syncSchema } from '../../src/db/migrate.js';
import { listClusterNodes } from '../../src/db/queries/nodes.js';
import { createFakeCloud } from '../../src/drivers/fake/index.js';
import { HealthManager } from '../../src/health/index.js';
import { testDialects } from '../db/dialects.js';
import { createProfile, requestClusterCreate } from '../support/clusters.js';
import { startEngine, testConfig, testServices, waitForAction } from '../support/engine.js';
import { heartbeatingRow } from './registry-support.js';
import { until } from './support.js';

const dialects = await testDialects();
const dir = mkdtempSync(join(tmpdir(), 'senlin-hm-takeover-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(dialects)('a health manager process killed on $name', (dialect) => {
  it('is taken over by another manager, which recovers the node that broke meanwhile', async () => {
    const url = (await dialect.freshDatabase()).url;
    const stateFile = join(dir, `cloud-${dialect.name}.sqlite`);
    const conf = join(dir, `senlin-${dialect.name}.conf`);
    writeFileSync(
      conf,
      [
        '[DEFAULT]',
        'auth_strategy = noauth',
        'cloud_backend = openstack_test',
        'periodic_interval = 1',
        'health_check_interval_min = 1',
        '[database]',
        `connection = ${url}`,
        '[fake_cloud]',
        `state_file = ${stateFile}`,
        '',
      ].join('\n'),
    );
    const db = await openDatabase({ connection: url });
    await syncSchema(db);
    const backend = createFakeCloud({ statePath: stateFile });
    const svc = testServices(db, {
      backend,
      config: testConfig({ DEFAULT: { periodic_interval: 1, health_check_interval_min: 1 } }),
    });
    const engine = await startEngine(svc);
    const row = await heartbeatingRow(db, 0.5);
    const survivor = new HealthManager({ services: svc, serviceId: row.id });
    const cli = new URL('../../src/cmd/cli.ts', import.meta.url).pathname;
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), cli, 'health-manager', '--config-file', conf],
      { cwd: dir, env: { ...process.env, HOME: dir } },
    );
    let log = '';
    child.stdout.on('data', (c: Buffer) => {
      log += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      log += c.toString();
    });
    try {
      const profileId = await createProfile(svc);
      const { clusterId, actionId } = await requestClusterCreate(svc, profileId, {
        desiredCapacity: 1,
      });
      expect((await waitForAction(db, actionId)).status).toBe('SUCCEEDED');
      const [node] = await db.retry((k) => listClusterNodes(k, clusterId));
      await db.retry((k) =>
        k
          .insertInto('health_registry')
          .values({
            id: newId(),
            cluster_id: clusterId,
            check_type: 'NODE_STATUS_POLLING',
            interval: 1,
            params: toDbJson({
              recover_action: [{ name: 'RECREATE', params: null }],
              recovery_conditional: 'ANY_FAILED',
              node_update_timeout: 0,
              node_delete_timeout: 5,
              detection_modes: [{ type: 'NODE_STATUS_POLLING' }],
            }),
            engine_id: null,
            enabled: toDbBool(true),
          })
          .execute(),
      );

      const owner = async () =>
        (
          await db.retry((k) =>
            k
              .selectFrom('health_registry')
              .select('engine_id')
              .where('cluster_id', '=', clusterId)
              .executeTakeFirst(),
          )
        )?.engine_id ?? null;
      const first = await until(
        'the process to claim the registration',
        async () => {
          if (child.exitCode !== null) throw new Error(`health manager exited:\n${log}`);
          return owner();
        },
        60_000,
      );
      expect(first).not.toBe(row.id);
      // A second manager runs alongside; with one registration it leaves it where it is.
      survivor.start();
      await survivor.sweep();
      expect(await owner()).toBe(first);
      expect(survivor.snapshot()).toEqual([]);

      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      backend.destroyServer(node?.physicalId ?? '');

      await until('the survivor to take the registration over', async () => {
        return (await owner()) === row.id;
      });
      const recovery = await until('a recovery of the broken node', async () => {
        const found = await db.retry((k) =>
          k
            .selectFrom('action')
            .select('id')
            .where('target', '=', node?.id ?? '')
            .where('action', '=', 'NODE_RECOVER')
            .executeTakeFirst(),
        );
        return found?.id;
      });
      const done = await waitForAction(db, recovery);
      expect(done.status, done.statusReason).toBe('SUCCEEDED');
      await until('the killed manager row to be removed', async () => {
        const left = await db.retry((k) =>
          k
            .selectFrom('service')
            .select('id')
            .where('id', '=', first ?? '')
            .executeTakeFirst(),
        );
        return !left;
      });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await survivor.stop();
      row.stopHeartbeat();
      await engine.stop();
      await backend.close();
      await db.close();
    }
  });
});
