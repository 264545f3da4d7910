import { beforeAll, describe, expect, it } from 'vitest';
import {
  fromDbBool,
  fromDbJson,
  fromDbNumber,
  fromDbTime,
  toDbBool,
  toDbJson,
  toDbTime,
} from '../../src/db/codec.js';
import type { Db } from '../../src/db/connection.js';
import { openFresh, testDialects } from './dialects.js';

const dialects = await testDialects();

let seq = 0;
function uid(prefix: string): string {
  seq += 1;
  return `${prefix}-${process.pid}-${seq}`;
}

describe.each(dialects)('values stored on $name', (dialect) => {
  let db: Db;
  const profileId = 'profile-1';
  beforeAll(async () => {
    db = await openFresh(dialect);
    await db.kysely
      .insertInto('profile')
      .values({ id: profileId, name: 'p', user: 'u', project: 'proj' })
      .execute();
  });

  async function insertCluster(values: Record<string, unknown> = {}): Promise<string> {
    const id = uid('cluster');
    await db.kysely
      .insertInto('cluster')
      .values({ id, name: 'c', profile_id: profileId, user: 'u', project: 'proj', ...values })
      .execute();
    return id;
  }

  async function readCluster(id: string) {
    return db.kysely
      .selectFrom('cluster')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  it('round-trips JSON documents with nested values and non-ASCII text', async () => {
    const doc = { a: [1, 2.5, null, true], b: { ключ: 'значение 🎉' }, c: '' };
    const id = await insertCluster({ data: toDbJson(doc), meta_data: toDbJson(null) });
    const row = await readCluster(id);
    expect(fromDbJson(row.data)).toEqual(doc);
    expect(row.meta_data).toBeNull();
  });

  it('stores JSON documents larger than 64 KiB', async () => {
    const doc = { blob: 'x'.repeat(100_000) };
    const id = await insertCluster({ data: toDbJson(doc) });
    expect(fromDbJson((await readCluster(id)).data)).toEqual(doc);
  });

  it('round-trips non-ASCII names in VARCHAR columns', async () => {
    const id = await insertCluster({ name: 'grappe-é-🚀' });
    expect((await readCluster(id)).name).toBe('grappe-é-🚀');
  });

  it('round-trips times with milliseconds as text', async () => {
    const when = new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 123));
    const id = await insertCluster({ init_at: toDbTime(when) });
    const raw = (await readCluster(id)).init_at;
    expect(typeof raw).toBe('string');
    expect(fromDbTime(raw)).toEqual(when);
  });

  it('keeps all six fraction digits of a stored time', async () => {
    const id = await insertCluster({ created_at: '2023-05-06 07:08:09.123456' });
    expect((await readCluster(id)).created_at).toMatch(/^2023-05-06 07:08:09\.123456$/);
  });

  it('reads times stored without a fraction', async () => {
    const id = await insertCluster({ updated_at: '2023-05-06 07:08:09' });
    const raw = (await readCluster(id)).updated_at;
    expect(fromDbTime(raw)).toEqual(new Date(Date.UTC(2023, 4, 6, 7, 8, 9)));
  });

  it('orders and compares stored times chronologically', async () => {
    const times = [
      '2024-01-02 03:04:06.000000',
      '2024-01-02 03:04:05.000001',
      '2023-12-31 23:59:59.999999',
      '2024-01-02 03:04:05.500000',
      '2024-01-02 03:04:05.000000',
    ];
    const project = uid('order');
    for (const [i, t] of times.entries()) {
      await db.kysely
        .insertInto('event')
        .values({ id: `${project}-${i}`, timestamp: t, project })
        .execute();
    }
    const ordered = await db.kysely
      .selectFrom('event')
      .select('timestamp')
      .where('project', '=', project)
      .orderBy('timestamp')
      .execute();
    expect(ordered.map((r) => toDbTime(fromDbTime(r.timestamp) as Date).slice(0, 23))).toEqual([
      '2023-12-31 23:59:59.999',
      '2024-01-02 03:04:05.000',
      '2024-01-02 03:04:05.000',
      '2024-01-02 03:04:05.500',
      '2024-01-02 03:04:06.000',
    ]);
    const before = await db.kysely
      .selectFrom('event')
      .select('id')
      .where('project', '=', project)
      .where('timestamp', '<', '2024-01-02 03:04:05.500000')
      .execute();
    expect(before).toHaveLength(3);
  });

  it.each([true, false, null])('round-trips the boolean %s', async (value) => {
    const id = uid('node');
    await db.kysely
      .insertInto('node')
      .values({ id, profile_id: profileId, tainted: toDbBool(value) })
      .execute();
    const row = await db.kysely
      .selectFrom('node')
      .select('tainted')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(fromDbBool(row.tainted)).toBe(value);
  });

  it('finds rows by a boolean written as 0/1', async () => {
    const id = uid('node');
    await db.kysely
      .insertInto('node')
      .values({ id, profile_id: profileId, tainted: toDbBool(true), project: id })
      .execute();
    const rows = await db.kysely
      .selectFrom('node')
      .select('id')
      .where('project', '=', id)
      .where('tainted', '=', toDbBool(true))
      .execute();
    expect(rows).toEqual([{ id }]);
  });

  it('round-trips epoch seconds with six decimals', async () => {
    const id = uid('action');
    await db.kysely
      .insertInto('action')
      .values({ id, start_time: 1700000000.123456, end_time: null })
      .execute();
    const row = await db.kysely
      .selectFrom('action')
      .select(['start_time', 'end_time'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(fromDbNumber(row.start_time)).toBe(1700000000.123456);
    expect(fromDbNumber(row.end_time)).toBeNull();
  });

  it('rejects a cluster whose profile does not exist', async () => {
    await expect(
      db.kysely
        .insertInto('cluster')
        .values({ id: uid('c'), name: 'c', profile_id: 'missing', user: 'u', project: 'p' })
        .execute(),
    ).rejects.toThrow(/foreign key/i);
  });

  it('refuses to delete a profile that a node still uses', async () => {
    const nodeProfile = uid('profile');
    await db.kysely
      .insertInto('profile')
      .values({ id: nodeProfile, user: 'u', project: 'p' })
      .execute();
    await db.kysely
      .insertInto('node')
      .values({ id: uid('n'), profile_id: nodeProfile })
      .execute();
    await expect(
      db.kysely.deleteFrom('profile').where('id', '=', nodeProfile).execute(),
    ).rejects.toThrow(/foreign key/i);
  });

  it('rejects a dependency on an action that does not exist', async () => {
    const action = uid('action');
    await db.kysely.insertInto('action').values({ id: action }).execute();
    await expect(
      db.kysely
        .insertInto('dependency')
        .values({ id: uid('d'), depended: 'missing', dependent: action })
        .execute(),
    ).rejects.toThrow(/foreign key/i);
  });

  it('rejects a second credential for the same user and project', async () => {
    const user = uid('user');
    const row = { user, project: 'p', cred: toDbJson({ openstack: { trust: 't' } }) as string };
    await db.kysely.insertInto('credential').values(row).execute();
    await expect(db.kysely.insertInto('credential').values(row).execute()).rejects.toThrow(
      /duplicate|unique/i,
    );
  });
});
