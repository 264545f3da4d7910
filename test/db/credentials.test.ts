import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import {
  deleteCredential,
  getCredential,
  getTrustId,
  replaceReceiverTrust,
  upsertCredential,
} from '../../src/db/queries/credentials.js';
import { getReceiver, insertReceiver } from '../../src/db/queries/receivers.js';
import { openFresh, testDialects } from './dialects.js';

const dialects = await testDialects();

describe.each(dialects)('credentials on $name', (dialect) => {
  let db: Db;
  beforeAll(async () => {
    db = await openFresh(dialect);
  });

  it("stores a user's trust in upstream's layout and replaces it in place", async () => {
    await upsertCredential(db.kysely, 'u1', 'p1', 'trust-1');
    expect(await getCredential(db.kysely, 'u1', 'p1')).toMatchObject({
      cred: { openstack: { trust: 'trust-1' } },
    });
    await upsertCredential(db.kysely, 'u1', 'p1', 'trust-2');
    expect(await getTrustId(db.kysely, 'u1', 'p1')).toBe('trust-2');
    const rows = await db.kysely
      .selectFrom('credential')
      .selectAll()
      .where('user', '=', 'u1')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('keeps one row per user and project when many requests store at once', async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        db.retry((k) => upsertCredential(k, 'racer', 'p1', `trust-${i}`)),
      ),
    );
    const rows = await db.kysely
      .selectFrom('credential')
      .selectAll()
      .where('user', '=', 'racer')
      .execute();
    expect(rows).toHaveLength(1);
    expect(await getTrustId(db.kysely, 'racer', 'p1')).toMatch(/^trust-\d$/);
  });

  it('keeps the trusts of one user in different projects apart', async () => {
    await upsertCredential(db.kysely, 'u2', 'pa', 'trust-a');
    await upsertCredential(db.kysely, 'u2', 'pb', 'trust-b');
    expect(await getTrustId(db.kysely, 'u2', 'pa')).toBe('trust-a');
    expect(await getTrustId(db.kysely, 'u2', 'pb')).toBe('trust-b');
    await deleteCredential(db.kysely, 'u2', 'pa');
    expect(await getTrustId(db.kysely, 'u2', 'pa')).toBeNull();
    expect(await getTrustId(db.kysely, 'u2', 'pb')).toBe('trust-b');
  });

  it('moves the webhooks that act with a replaced trust to the new one, and no others', async () => {
    const receiver = (id: string, trust: string) =>
      insertReceiver(db.kysely, {
        id,
        name: id,
        type: 'webhook',
        user: 'u3',
        project: 'p3',
        domain: null,
        createdAt: new Date(),
        updatedAt: null,
        clusterId: 'c',
        actor: { trust_id: trust },
        action: 'CLUSTER_SCALE_OUT',
        params: {},
        channel: {},
      });
    await receiver('r-old', 'abc123');
    await receiver('r-longer', 'abc1234');
    await receiver('r-other', 'def456');
    expect(await replaceReceiverTrust(db.kysely, 'abc123', 'new789')).toBe(1);
    expect((await getReceiver(db.kysely, 'r-old'))?.actor).toEqual({ trust_id: 'new789' });
    expect((await getReceiver(db.kysely, 'r-longer'))?.actor).toEqual({ trust_id: 'abc1234' });
    expect((await getReceiver(db.kysely, 'r-other'))?.actor).toEqual({ trust_id: 'def456' });
  });
});
