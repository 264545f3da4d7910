/** The monitoring counts (rows per status) on every dialect: PostgreSQL and MariaDB return counts as strings or bigints. */
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/common/ids.js';
import type { Db } from '../../src/db/connection.js';
import {
  countActionsByStatus,
  countClustersByStatus,
  countNodesByStatus,
} from '../../src/db/queries/stats.js';
import { openFresh, testDialects } from './dialects.js';

const dialects = await testDialects();

describe.each(dialects)('status counts on $name', (dialect) => {
  let db: Db;
  beforeAll(async () => {
    db = await openFresh(dialect);
  });

  it('counts actions, clusters and nodes per status, as numbers', async () => {
    const statuses = ['READY', 'RUNNING', 'RUNNING', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED'];
    for (const status of statuses) {
      await db.kysely.insertInto('action').values({ id: newId(), status }).execute();
    }
    const owner = { user: 'u', project: 'p', context: null, spec: null, meta_data: null };
    const profileId = newId();
    await db.kysely
      .insertInto('profile')
      .values({ id: profileId, ...owner, created_at: null, updated_at: null })
      .execute();
    for (const status of ['ACTIVE', 'ACTIVE', 'ERROR']) {
      await db.kysely
        .insertInto('cluster')
        .values({
          id: newId(),
          name: `c-${newId()}`,
          user: 'u',
          project: 'p',
          profile_id: profileId,
          status,
        })
        .execute();
      await db.kysely
        .insertInto('node')
        .values({ id: newId(), profile_id: profileId, status })
        .execute();
    }
    expect(Object.fromEntries(await countActionsByStatus(db.kysely))).toEqual({
      READY: 1,
      RUNNING: 2,
      SUCCEEDED: 3,
    });
    expect(Object.fromEntries(await countClustersByStatus(db.kysely))).toEqual({
      ACTIVE: 2,
      ERROR: 1,
    });
    expect(Object.fromEntries(await countNodesByStatus(db.kysely))).toEqual({
      ACTIVE: 2,
      ERROR: 1,
    });
  });
});
