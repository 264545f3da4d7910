import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import {
  createService,
  deleteService,
  getService,
  heartbeatService,
  listServices,
} from '../../src/db/queries/services.js';
import { openFresh, testDialects } from './dialects.js';

const dialects = await testDialects();

const T0 = new Date(Date.UTC(2024, 2, 1, 12, 0, 0, 250));
const T1 = new Date(Date.UTC(2024, 2, 1, 12, 1, 0, 500));

describe.each(dialects)('service queries on $name', (dialect) => {
  let db: Db;
  beforeAll(async () => {
    db = await openFresh(dialect);
  });
  beforeEach(async () => {
    await db.kysely.deleteFrom('service').execute();
  });

  it('creates a service that is enabled and fresh', async () => {
    const created = await createService(db.kysely, {
      host: 'node-1',
      binary: 'senlin-engine',
      topic: 'senlin-engine',
      now: T0,
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await getService(db.kysely, created.id)).toEqual({
      id: created.id,
      host: 'node-1',
      binary: 'senlin-engine',
      topic: 'senlin-engine',
      disabled: false,
      disabledReason: null,
      createdAt: T0,
      updatedAt: T0,
    });
  });

  it('keeps a given id', async () => {
    const id = '6e0b8e52-5b4e-4c7b-9a1e-0a1b2c3d4e5f';
    await createService(db.kysely, { id, host: 'h', binary: 'b', topic: 't' });
    expect((await getService(db.kysely, id))?.id).toBe(id);
  });

  it('moves updated_at forward on a heartbeat and leaves created_at alone', async () => {
    const { id } = await createService(db.kysely, { host: 'h', binary: 'b', topic: 't', now: T0 });
    expect(await heartbeatService(db.kysely, id, T1)).toBe(true);
    const svc = await getService(db.kysely, id);
    expect(svc?.createdAt).toEqual(T0);
    expect(svc?.updatedAt).toEqual(T1);
  });

  it('counts a heartbeat with an unchanged time as found', async () => {
    const { id } = await createService(db.kysely, { host: 'h', binary: 'b', topic: 't', now: T0 });
    expect(await heartbeatService(db.kysely, id, T0)).toBe(true);
  });

  it('answers false to a heartbeat of a removed service', async () => {
    expect(await heartbeatService(db.kysely, 'gone', T1)).toBe(false);
  });

  it('deletes a service once', async () => {
    const { id } = await createService(db.kysely, { host: 'h', binary: 'b', topic: 't' });
    expect(await deleteService(db.kysely, id)).toBe(true);
    expect(await deleteService(db.kysely, id)).toBe(false);
    expect(await getService(db.kysely, id)).toBeNull();
  });

  it('lists services oldest first', async () => {
    const later = await createService(db.kysely, { host: 'b', binary: 'x', topic: 't', now: T1 });
    const earlier = await createService(db.kysely, { host: 'a', binary: 'x', topic: 't', now: T0 });
    const list = await listServices(db.kysely);
    expect(list.map((s) => s.id)).toEqual([earlier.id, later.id]);
  });

  it('works inside a retried transaction', async () => {
    const id = await db.transaction(async (trx) => {
      const svc = await createService(trx, { host: 'h', binary: 'b', topic: 't', now: T0 });
      await heartbeatService(trx, svc.id, T1);
      return svc.id;
    });
    expect((await getService(db.kysely, id))?.updatedAt).toEqual(T1);
  });
});
