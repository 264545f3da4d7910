import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { syncSchema } from '../../src/db/migrate.js';
import { createProfile, novaSpec, requestClusterCreate } from '../support/clusters.js';
import { startEngine, testConfig, testServices, waitForAction } from '../support/engine.js';

describe('stopping an engine', () => {
  it('waits for quick work to finish', async () => {
    const db = await openDatabase({ connection: 'sqlite://' });
    await syncSchema(db);
    const svc = testServices(db, { config: testConfig({ engine: { shutdown_timeout: 10 } }) });
    const engine = await startEngine(svc);
    const profile = await createProfile(svc, novaSpec({ simulated_wait_time: '1' }));
    const { actionId } = await requestClusterCreate(svc, profile, { desiredCapacity: 2 });
    await waitForAction(db, actionId, ['WAITING']);
    await engine.stop();
    expect(
      (await waitForAction(db, actionId, ['SUCCEEDED', 'FAILED', 'CANCELLED'], 100)).status,
    ).toBe('SUCCEEDED');
  });

  it('hands back work that outlasts the shutdown timeout: nothing stays running or locked', async () => {
    const db = await openDatabase({ connection: 'sqlite://' });
    await syncSchema(db);
    const svc = testServices(db, { config: testConfig({ engine: { shutdown_timeout: 0 } }) });
    const engine = await startEngine(svc);
    const profile = await createProfile(svc, novaSpec({ simulated_wait_time: '30' }));
    const { actionId } = await requestClusterCreate(svc, profile, { desiredCapacity: 2 });
    await waitForAction(db, actionId, ['WAITING']);
    await engine.stop();
    const busy = await db.kysely
      .selectFrom('action')
      .select(['id', 'status'])
      .where('status', 'in', ['RUNNING', 'WAITING'])
      .execute();
    expect(busy).toEqual([]);
    expect((await waitForAction(db, actionId, ['CANCELLED', 'FAILED'], 100)).status).toBe(
      'CANCELLED',
    );
    expect(await db.kysely.selectFrom('cluster_lock').selectAll().execute()).toEqual([]);
    expect(await db.kysely.selectFrom('node_lock').selectAll().execute()).toEqual([]);
  });
});
