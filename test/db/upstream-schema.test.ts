/**
 * The schema produced on an empty database must be upstream Senlin's final schema (engine
 * contract §2.2–2.3): the expected tables, columns, types and nullability are written out
 * here from the contract, not taken from the migration code.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DialectName } from '../../src/db/connection.js';
import { openDatabase } from '../../src/db/connection.js';
import { listColumns, listForeignKeys, listPrimaryKey, listTables } from './catalog.js';
import { testDialects } from './dialects.js';

/** Logical types of §2.1. */
type T = `str${number}` | 'text' | 'json' | 'time' | 'int' | 'bool' | 'num';
/** [column, type, nullable] in upstream's column order. */
type Col = readonly [string, T, boolean];

const Y = true;
const N = false;

const EXPECTED: Readonly<Record<string, readonly Col[]>> = {
  profile: [
    ['id', 'str36', N],
    ['name', 'str255', Y],
    ['type', 'str255', Y],
    ['context', 'json', Y],
    ['spec', 'json', Y],
    ['user', 'str64', N],
    ['project', 'str64', N],
    ['domain', 'str64', Y],
    ['permission', 'str32', Y],
    ['meta_data', 'json', Y],
    ['created_at', 'time', Y],
    ['updated_at', 'time', Y],
  ],
  policy: [
    ['id', 'str36', N],
    ['name', 'str255', Y],
    ['type', 'str255', Y],
    ['user', 'str64', N],
    ['project', 'str64', N],
    ['domain', 'str64', Y],
    ['cooldown', 'int', Y],
    ['level', 'int', Y],
    ['created_at', 'time', Y],
    ['updated_at', 'time', Y],
    ['spec', 'json', Y],
    ['data', 'json', Y],
  ],
  cluster: [
    ['id', 'str36', N],
    ['name', 'str255', N],
    ['profile_id', 'str36', N],
    ['user', 'str64', N],
    ['project', 'str64', N],
    ['domain', 'str64', Y],
    ['parent', 'str36', Y],
    ['init_at', 'time', Y],
    ['created_at', 'time', Y],
    ['updated_at', 'time', Y],
    ['min_size', 'int', Y],
    ['max_size', 'int', Y],
    ['desired_capacity', 'int', Y],
    ['next_index', 'int', Y],
    ['timeout', 'int', Y],
    ['status', 'str255', Y],
    ['status_reason', 'text', Y],
    ['meta_data', 'json', Y],
    ['data', 'json', Y],
    ['dependents', 'json', Y],
    ['config', 'json', Y],
  ],
  node: [
    ['id', 'str36', N],
    ['name', 'str255', Y],
    ['physical_id', 'str36', Y],
    ['cluster_id', 'str36', Y],
    ['profile_id', 'str36', N],
    ['user', 'str64', Y],
    ['project', 'str64', Y],
    ['domain', 'str64', Y],
    ['index', 'int', Y],
    ['role', 'str64', Y],
    ['init_at', 'time', Y],
    ['created_at', 'time', Y],
    ['updated_at', 'time', Y],
    ['status', 'str255', Y],
    ['status_reason', 'text', Y],
    ['meta_data', 'json', Y],
    ['data', 'json', Y],
    ['dependents', 'json', Y],
    ['tainted', 'bool', Y],
  ],
  cluster_lock: [
    ['cluster_id', 'str36', N],
    ['action_ids', 'json', Y],
    ['semaphore', 'int', Y],
  ],
  node_lock: [
    ['node_id', 'str36', N],
    ['action_id', 'str36', Y],
  ],
  cluster_policy: [
    ['id', 'str36', N],
    ['cluster_id', 'str36', N],
    ['policy_id', 'str36', N],
    ['cooldown', 'int', Y],
    ['priority', 'int', Y],
    ['level', 'int', Y],
    ['enabled', 'bool', Y],
    ['data', 'json', Y],
    ['last_op', 'time', Y],
  ],
  health_registry: [
    ['id', 'str36', N],
    ['cluster_id', 'str36', N],
    ['check_type', 'str255', Y],
    ['interval', 'int', Y],
    ['params', 'json', Y],
    ['engine_id', 'str36', Y],
    ['enabled', 'bool', Y],
  ],
  receiver: [
    ['id', 'str36', N],
    ['name', 'str255', Y],
    ['type', 'str255', Y],
    ['user', 'str64', Y],
    ['project', 'str64', Y],
    ['domain', 'str64', Y],
    ['created_at', 'time', Y],
    ['updated_at', 'time', Y],
    ['cluster_id', 'str36', Y],
    ['actor', 'json', Y],
    ['action', 'text', Y],
    ['params', 'json', Y],
    ['channel', 'json', Y],
  ],
  credential: [
    ['user', 'str64', N],
    ['project', 'str64', N],
    ['cred', 'json', N],
    ['data', 'json', Y],
  ],
  action: [
    ['id', 'str36', N],
    ['name', 'str63', Y],
    ['context', 'json', Y],
    ['target', 'str36', Y],
    ['action', 'text', Y],
    ['cause', 'str255', Y],
    ['owner', 'str36', Y],
    ['interval', 'int', Y],
    ['start_time', 'num', Y],
    ['end_time', 'num', Y],
    ['timeout', 'int', Y],
    ['control', 'str255', Y],
    ['status', 'str255', Y],
    ['status_reason', 'text', Y],
    ['inputs', 'json', Y],
    ['outputs', 'json', Y],
    ['depends_on', 'json', Y],
    ['depended_by', 'json', Y],
    ['created_at', 'time', Y],
    ['updated_at', 'time', Y],
    ['data', 'json', Y],
    ['user', 'str64', Y],
    ['project', 'str64', Y],
    ['domain', 'str64', Y],
    ['cluster_id', 'str36', Y],
  ],
  dependency: [
    ['id', 'str36', N],
    ['depended', 'str36', N],
    ['dependent', 'str36', N],
  ],
  event: [
    ['id', 'str36', N],
    ['timestamp', 'time', N],
    ['oid', 'str36', Y],
    ['oname', 'str255', Y],
    ['otype', 'str36', Y],
    ['cluster_id', 'str36', Y],
    ['level', 'str63', Y],
    ['user', 'str64', Y],
    ['project', 'str64', Y],
    ['action', 'str36', Y],
    ['status', 'str255', Y],
    ['status_reason', 'text', Y],
    ['meta_data', 'json', Y],
  ],
  service: [
    ['id', 'str36', N],
    ['host', 'str255', Y],
    ['binary', 'str255', Y],
    ['topic', 'str255', Y],
    ['disabled', 'bool', Y],
    ['disabled_reason', 'str255', Y],
    ['created_at', 'time', Y],
    ['updated_at', 'time', Y],
  ],
};

const EXPECTED_PRIMARY_KEYS: Readonly<Record<string, readonly string[]>> = {
  cluster_lock: ['cluster_id'],
  node_lock: ['node_id'],
  credential: ['user', 'project'],
};

const EXPECTED_FOREIGN_KEYS = [
  'cluster.profile_id→profile.id',
  'cluster_policy.cluster_id→cluster.id',
  'cluster_policy.policy_id→policy.id',
  'dependency.depended→action.id',
  'dependency.dependent→action.id',
  'health_registry.cluster_id→cluster.id',
  'node.profile_id→profile.id',
];

/** How each dialect's catalog spells a logical type (§2.1 and the dialect mapping). */
function catalogType(t: T, dialect: DialectName): string {
  const str = /^str(\d+)$/.exec(t);
  if (str) return `varchar(${str[1]})`;
  switch (t) {
    case 'text':
      return 'text';
    case 'json':
      return dialect === 'mysql' ? 'longtext' : 'text';
    case 'time':
      return { sqlite: 'text', postgresql: 'timestamp', mysql: 'datetime(6)' }[dialect];
    case 'int':
      return 'integer';
    case 'bool':
      return 'boolean';
    default:
      return 'numeric(18,6)';
  }
}

const dialects = await testDialects();

/** The URL as an upstream senlin.conf would write it (SQLAlchemy driver suffixes). */
function upstreamStyleUrl(url: string): string {
  return url.replace(/^mysql:/, 'mysql+pymysql:').replace(/^postgresql:/, 'postgresql+psycopg2:');
}

/** Runs `senlin-ts manage db_sync` with a senlin.conf naming the database, as an operator would. */
function manageDbSync(url: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'senlin-sync-'));
  const conf = join(dir, 'senlin.conf');
  writeFileSync(conf, `[database]\nconnection = ${upstreamStyleUrl(url)}\n`);
  const cli = new URL('../../src/cmd/cli.ts', import.meta.url).pathname;
  const res = spawnSync(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), cli, 'manage', '--config-file', conf, 'db_sync'],
    { encoding: 'utf8', env: { ...process.env, HOME: dir } },
  );
  rmSync(dir, { recursive: true, force: true });
  if (res.status !== 0) throw new Error(`db_sync failed: ${res.stderr}${res.stdout}`);
}

describe.each(dialects)(
  'the schema made by manage db_sync on an empty $name database',
  (dialect) => {
    let db: Db;
    let k: Kysely<unknown>;
    beforeAll(async () => {
      const fresh = await dialect.freshDatabase();
      manageDbSync(fresh.url);
      db = await openDatabase({ connection: fresh.url });
      k = db.kysely as unknown as Kysely<unknown>;
    });
    afterAll(async () => {
      await db?.close();
    });

    it('has exactly the 14 upstream tables besides the tables of senlin-ts', async () => {
      const tables = await listTables(k, dialect.name);
      expect(tables).toEqual(
        [
          ...Object.keys(EXPECTED),
          'senlin_ts_migration',
          'senlin_ts_migration_lock',
          'senlin_ts_pool_claim',
        ].sort(),
      );
    });

    it.each(Object.keys(EXPECTED))('has the upstream columns of %s', async (table) => {
      const columns = await listColumns(k, dialect.name, table);
      const expected = (EXPECTED[table] ?? []).map(([name, type, nullable]) => ({
        name,
        type: catalogType(type, dialect.name),
        nullable,
      }));
      expect(columns).toEqual(expected);
    });

    it('has upstream primary keys, including the composite key of credential', async () => {
      for (const table of Object.keys(EXPECTED)) {
        const pk = await listPrimaryKey(k, dialect.name, table);
        expect([table, pk]).toEqual([table, EXPECTED_PRIMARY_KEYS[table] ?? ['id']]);
      }
    });

    it('has exactly the seven upstream foreign keys', async () => {
      expect(await listForeignKeys(k, dialect.name)).toEqual(EXPECTED_FOREIGN_KEYS);
    });
  },
);
