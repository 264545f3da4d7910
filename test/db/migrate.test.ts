import { type Kysely, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { resolveMigrationName, schemaVersion, syncSchema } from '../../src/db/migrate.js';
import { listIndexes, listTables } from './catalog.js';
import { openFresh, testDialects } from './dialects.js';

const EXPECTED_INDEXES: Readonly<Record<string, readonly string[]>> = {
  action: [
    'ix_action_cluster_id',
    'ix_action_created_at',
    'ix_action_status_owner',
    'ix_action_target',
  ],
  node: ['ix_node_cluster_id', 'ix_node_physical_id', 'ix_node_profile_id', 'ix_node_project'],
  cluster: ['ix_cluster_profile_id', 'ix_cluster_project'],
  event: ['ix_event_cluster_id', 'ix_event_oid', 'ix_event_timestamp'],
  cluster_policy: ['ix_cluster_policy_cluster_id', 'ix_cluster_policy_policy_id'],
  dependency: ['ix_dependency_depended', 'ix_dependency_dependent'],
  health_registry: ['ix_health_registry_cluster_id'],
  receiver: ['ix_receiver_cluster_id', 'ix_receiver_project'],
  profile: ['ix_profile_project'],
  policy: ['ix_policy_project'],
  service: ['ix_service_binary'],
  senlin_ts_pool_claim: ['ix_senlin_ts_pool_claim_node_id'],
  cluster_lock: [],
  node_lock: [],
  credential: [],
};

const ALL = ['001_upstream_schema', '002_indexes', '003_pool_claims'];

function raw(db: Db): Kysely<unknown> {
  return db.kysely as unknown as Kysely<unknown>;
}

async function bookkeeping(db: Db): Promise<string[]> {
  const r = await sql<{ name: string }>`select name from senlin_ts_migration order by name`.execute(
    db.kysely,
  );
  return r.rows.map((row) => row.name);
}

describe('resolveMigrationName', () => {
  it('accepts full names and numbers', () => {
    expect(resolveMigrationName('002_indexes')).toBe('002_indexes');
    expect(resolveMigrationName('1')).toBe('001_upstream_schema');
    expect(resolveMigrationName('002')).toBe('002_indexes');
  });

  it('rejects unknown versions listing the known ones', () => {
    expect(() => resolveMigrationName('99')).toThrow(/Unknown schema version '99'.*002_indexes/);
  });
});

const dialects = await testDialects();

describe.each(dialects)('syncSchema on $name', (dialect) => {
  let db: Db;
  let firstRun: string[];
  beforeAll(async () => {
    db = await openFresh(dialect, { sync: false });
    firstRun = await syncSchema(db);
  });

  it('applies every migration on an empty database', () => {
    expect(firstRun).toEqual(ALL);
  });

  it('creates the 14 tables, the claim table and the bookkeeping tables', async () => {
    const tables = await listTables(raw(db), dialect.name);
    expect(tables).toEqual(
      [...Object.keys(EXPECTED_INDEXES), 'senlin_ts_migration', 'senlin_ts_migration_lock'].sort(),
    );
  });

  it.each(Object.keys(EXPECTED_INDEXES))('creates the indexes of %s', async (table) => {
    expect(await listIndexes(raw(db), dialect.name, table)).toEqual(EXPECTED_INDEXES[table]);
  });

  it('is a no-op the second time', async () => {
    expect(await syncSchema(db)).toEqual([]);
    expect(await bookkeeping(db)).toEqual(ALL);
    expect(await listIndexes(raw(db), dialect.name, 'action')).toHaveLength(4);
  });

  it('reports the latest migration as the schema version', async () => {
    expect(await schemaVersion(db)).toBe('003_pool_claims');
  });

  it('never goes back to an older target', async () => {
    expect(await syncSchema(db, '001_upstream_schema')).toEqual([]);
    expect(await schemaVersion(db)).toBe('003_pool_claims');
  });
});

describe.each(dialects)('syncSchema with a target on $name', (dialect) => {
  let db: Db;
  beforeAll(async () => {
    db = await openFresh(dialect, { sync: false });
  });

  it('has no schema version before the first sync', async () => {
    expect(await schemaVersion(db)).toBeNull();
  });

  it('stops at the target and continues later', async () => {
    expect(await syncSchema(db, '1')).toEqual(['001_upstream_schema']);
    expect(await schemaVersion(db)).toBe('001_upstream_schema');
    expect(await listIndexes(raw(db), dialect.name, 'action')).toEqual([]);
    expect(await syncSchema(db)).toEqual(['002_indexes', '003_pool_claims']);
    expect(await schemaVersion(db)).toBe('003_pool_claims');
  });
});

/** Turns a synced database into what upstream Senlin leaves behind: no senlin-ts bookkeeping. */
async function makeUpstream(db: Db, versionTable: 'alembic_version' | 'migrate_version') {
  await syncSchema(db, '001_upstream_schema');
  await sql`drop table senlin_ts_migration`.execute(db.kysely);
  await sql`drop table senlin_ts_migration_lock`.execute(db.kysely);
  if (versionTable === 'alembic_version') {
    await sql`create table alembic_version (version_num varchar(32) not null primary key)`.execute(
      db.kysely,
    );
    await sql`insert into alembic_version values ('004f8202c264')`.execute(db.kysely);
  } else {
    await sql`create table migrate_version (repository_id varchar(250) not null primary key,
      repository_path text, version integer)`.execute(db.kysely);
    await sql`insert into migrate_version values ('senlin', '/x', 15)`.execute(db.kysely);
  }
  await db.kysely
    .insertInto('profile')
    .values({ id: 'p1', name: 'kept', user: 'u', project: 'p' })
    .execute();
}

describe.each(dialects)('adopting an upstream database on $name', (dialect) => {
  it('records 001 as applied over alembic_version and runs the later migrations', async () => {
    const db = await openFresh(dialect, { sync: false });
    await makeUpstream(db, 'alembic_version');
    expect(await schemaVersion(db)).toBeNull();
    expect(await syncSchema(db)).toEqual(ALL);
    expect(await bookkeeping(db)).toEqual(ALL);
    expect(await listIndexes(raw(db), dialect.name, 'service')).toEqual(['ix_service_binary']);
    const kept = await db.kysely.selectFrom('profile').select('name').execute();
    expect(kept).toEqual([{ name: 'kept' }]);
  });

  it('adopts a database carrying migrate_version as well', async () => {
    const db = await openFresh(dialect, { sync: false });
    await makeUpstream(db, 'migrate_version');
    expect(await syncSchema(db)).toEqual(ALL);
    expect(await schemaVersion(db)).toBe('003_pool_claims');
  });

  it('refuses a cluster table that no upstream bookkeeping vouches for', async () => {
    const db = await openFresh(dialect, { sync: false });
    await sql`create table cluster (id varchar(36) not null primary key)`.execute(db.kysely);
    await expect(syncSchema(db)).rejects.toThrow(
      /001_upstream_schema failed: .*neither migrate_version nor alembic_version/,
    );
    expect(await schemaVersion(db)).toBeNull();
  });

  it('refuses an upstream database that is not fully upgraded', async () => {
    const db = await openFresh(dialect, { sync: false });
    await sql`create table cluster (id varchar(36) not null primary key)`.execute(db.kysely);
    await sql`create table action (id varchar(36) not null primary key)`.execute(db.kysely);
    await sql`create table migrate_version (repository_id varchar(250) not null primary key,
      version integer)`.execute(db.kysely);
    await expect(syncSchema(db)).rejects.toThrow(/lacks action\.cluster_id/);
  });
});
