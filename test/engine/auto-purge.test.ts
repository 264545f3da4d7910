import { afterAll, describe, expect, it } from 'vitest';
import { toDbTime } from '../../src/db/codec.js';
import { openDatabase } from '../../src/db/connection.js';
import { syncSchema } from '../../src/db/migrate.js';
import type { Engine } from '../../src/engine/engine.js';
import { startEngine, testConfig, testServices } from '../support/engine.js';

const ago = (days: number): string => toDbTime(new Date(Date.now() - days * 86_400_000));

describe('automatic purge', () => {
  let engine: Engine | undefined;
  afterAll(() => engine?.stop());

  it('deletes old events and old finished actions when retention is configured', async () => {
    const db = await openDatabase({ connection: 'sqlite://' });
    await syncSchema(db);
    await db.kysely
      .insertInto('event')
      .values([
        { id: 'old-event', timestamp: ago(3), level: '20' },
        { id: 'new-event', timestamp: ago(0), level: '20' },
      ])
      .execute();
    await db.kysely
      .insertInto('action')
      .values([
        { id: 'old-done', created_at: ago(3), status: 'SUCCEEDED' },
        { id: 'old-running', created_at: ago(3), status: 'WAITING' },
        { id: 'new-done', created_at: ago(0), status: 'SUCCEEDED' },
      ])
      .execute();
    const svc = testServices(db, {
      config: testConfig({ DEFAULT: { event_purge_age: 1, action_purge_age: 1 } }),
    });
    engine = await startEngine(svc);
    const deadline = Date.now() + 5000;
    let events: string[] = [];
    while (Date.now() < deadline) {
      events = (await db.kysely.selectFrom('event').select('id').execute()).map((r) => r.id);
      if (events.length === 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(events).toEqual(['new-event']);
    const actions = (await db.kysely.selectFrom('action').select('id').orderBy('id').execute()).map(
      (r) => r.id,
    );
    expect(actions).toEqual(['new-done', 'old-running']);
  });
});
