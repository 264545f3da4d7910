/**
 * Migration 001: the 14 tables of upstream Senlin's final schema (its migrations 001–015),
 * with the same names, column order, types, NULL constraints, primary and foreign keys, so
 * that databases are interchangeable with upstream's.
 *
 * Adopting an upstream database: when `cluster` already exists next to upstream's bookkeeping
 * table (`migrate_version` or `alembic_version`) and the schema has upstream's last columns,
 * this migration creates nothing and is recorded as applied; later migrations then run.
 */
import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';
import { columnNames, tableExists } from '../introspect.js';
import { type ColumnSpec, createTable, type TableSpec } from './column-types.js';

const NN = 'not null';

const id: ColumnSpec = ['id', 'varchar(36)', NN];
const owner = (nullable: boolean): ColumnSpec[] =>
  nullable
    ? [
        ['user', 'varchar(64)'],
        ['project', 'varchar(64)'],
      ]
    : [
        ['user', 'varchar(64)', NN],
        ['project', 'varchar(64)', NN],
      ];
const timestamps: ColumnSpec[] = [
  ['created_at', 'time'],
  ['updated_at', 'time'],
];

/** Upstream's tables in creation order (referenced tables first). */
export const UPSTREAM_TABLES: readonly TableSpec[] = [
  {
    name: 'profile',
    primaryKey: ['id'],
    columns: [
      id,
      ['name', 'varchar(255)'],
      ['type', 'varchar(255)'],
      ['context', 'json'],
      ['spec', 'json'],
      ...owner(false),
      ['domain', 'varchar(64)'],
      ['permission', 'varchar(32)'],
      ['meta_data', 'json'],
      ...timestamps,
    ],
  },
  {
    name: 'cluster',
    primaryKey: ['id'],
    foreignKeys: [['profile_id', 'profile.id']],
    columns: [
      id,
      ['name', 'varchar(255)', NN],
      ['profile_id', 'varchar(36)', NN],
      ...owner(false),
      ['domain', 'varchar(64)'],
      ['parent', 'varchar(36)'],
      ['init_at', 'time'],
      ...timestamps,
      ['min_size', 'integer'],
      ['max_size', 'integer'],
      ['desired_capacity', 'integer'],
      ['next_index', 'integer'],
      ['timeout', 'integer'],
      ['status', 'varchar(255)'],
      ['status_reason', 'text'],
      ['meta_data', 'json'],
      ['data', 'json'],
      ['dependents', 'json'],
      ['config', 'json'],
    ],
  },
  {
    name: 'node',
    primaryKey: ['id'],
    foreignKeys: [['profile_id', 'profile.id']],
    columns: [
      id,
      ['name', 'varchar(255)'],
      ['physical_id', 'varchar(36)'],
      ['cluster_id', 'varchar(36)'],
      ['profile_id', 'varchar(36)', NN],
      ...owner(true),
      ['domain', 'varchar(64)'],
      ['index', 'integer'],
      ['role', 'varchar(64)'],
      ['init_at', 'time'],
      ...timestamps,
      ['status', 'varchar(255)'],
      ['status_reason', 'text'],
      ['meta_data', 'json'],
      ['data', 'json'],
      ['dependents', 'json'],
      ['tainted', 'boolean'],
    ],
  },
  {
    name: 'cluster_lock',
    primaryKey: ['cluster_id'],
    columns: [
      ['cluster_id', 'varchar(36)', NN],
      ['action_ids', 'json'],
      ['semaphore', 'integer'],
    ],
  },
  {
    name: 'node_lock',
    primaryKey: ['node_id'],
    columns: [
      ['node_id', 'varchar(36)', NN],
      ['action_id', 'varchar(36)'],
    ],
  },
  {
    name: 'policy',
    primaryKey: ['id'],
    columns: [
      id,
      ['name', 'varchar(255)'],
      ['type', 'varchar(255)'],
      ...owner(false),
      ['domain', 'varchar(64)'],
      ['cooldown', 'integer'],
      ['level', 'integer'],
      ...timestamps,
      ['spec', 'json'],
      ['data', 'json'],
    ],
  },
  {
    name: 'cluster_policy',
    primaryKey: ['id'],
    foreignKeys: [
      ['cluster_id', 'cluster.id'],
      ['policy_id', 'policy.id'],
    ],
    columns: [
      id,
      ['cluster_id', 'varchar(36)', NN],
      ['policy_id', 'varchar(36)', NN],
      ['cooldown', 'integer'],
      ['priority', 'integer'],
      ['level', 'integer'],
      ['enabled', 'boolean'],
      ['data', 'json'],
      ['last_op', 'time'],
    ],
  },
  {
    name: 'credential',
    primaryKey: ['user', 'project'],
    columns: [...owner(false), ['cred', 'json', NN], ['data', 'json']],
  },
  {
    name: 'action',
    primaryKey: ['id'],
    columns: [
      id,
      ['name', 'varchar(63)'],
      ['context', 'json'],
      ['target', 'varchar(36)'],
      ['action', 'text'],
      ['cause', 'varchar(255)'],
      ['owner', 'varchar(36)'],
      ['interval', 'integer'],
      ['start_time', 'epoch'],
      ['end_time', 'epoch'],
      ['timeout', 'integer'],
      ['control', 'varchar(255)'],
      ['status', 'varchar(255)'],
      ['status_reason', 'text'],
      ['inputs', 'json'],
      ['outputs', 'json'],
      ['depends_on', 'json'],
      ['depended_by', 'json'],
      ...timestamps,
      ['data', 'json'],
      ...owner(true),
      ['domain', 'varchar(64)'],
      ['cluster_id', 'varchar(36)'],
    ],
  },
  {
    name: 'dependency',
    primaryKey: ['id'],
    foreignKeys: [
      ['depended', 'action.id'],
      ['dependent', 'action.id'],
    ],
    columns: [id, ['depended', 'varchar(36)', NN], ['dependent', 'varchar(36)', NN]],
  },
  {
    name: 'receiver',
    primaryKey: ['id'],
    columns: [
      id,
      ['name', 'varchar(255)'],
      ['type', 'varchar(255)'],
      ...owner(true),
      ['domain', 'varchar(64)'],
      ...timestamps,
      ['cluster_id', 'varchar(36)'],
      ['actor', 'json'],
      ['action', 'text'],
      ['params', 'json'],
      ['channel', 'json'],
    ],
  },
  {
    name: 'event',
    primaryKey: ['id'],
    columns: [
      id,
      ['timestamp', 'time', NN],
      ['oid', 'varchar(36)'],
      ['oname', 'varchar(255)'],
      ['otype', 'varchar(36)'],
      ['cluster_id', 'varchar(36)'],
      ['level', 'varchar(63)'],
      ...owner(true),
      ['action', 'varchar(36)'],
      ['status', 'varchar(255)'],
      ['status_reason', 'text'],
      ['meta_data', 'json'],
    ],
  },
  {
    name: 'service',
    primaryKey: ['id'],
    columns: [
      id,
      ['host', 'varchar(255)'],
      ['binary', 'varchar(255)'],
      ['topic', 'varchar(255)'],
      ['disabled', 'boolean'],
      ['disabled_reason', 'varchar(255)'],
      ...timestamps,
    ],
  },
  {
    name: 'health_registry',
    primaryKey: ['id'],
    foreignKeys: [['cluster_id', 'cluster.id']],
    columns: [
      id,
      ['cluster_id', 'varchar(36)', NN],
      ['check_type', 'varchar(255)'],
      ['interval', 'integer'],
      ['params', 'json'],
      ['engine_id', 'varchar(36)'],
      ['enabled', 'boolean'],
    ],
  },
];

/** Upstream's bookkeeping tables: sqlalchemy-migrate (Zed) and alembic (later releases). */
export const UPSTREAM_VERSION_TABLES = ['migrate_version', 'alembic_version'] as const;

/** Columns added by upstream's last migrations; their presence shows a fully upgraded schema. */
const LATEST_UPSTREAM_COLUMNS = [
  ['action', 'cluster_id'],
  ['node', 'tainted'],
  ['cluster', 'config'],
  ['health_registry', 'enabled'],
] as const;

/** Checks that an existing `cluster` table belongs to a fully upgraded upstream database. */
async function checkAdoptable(db: Kysely<unknown>): Promise<void> {
  let upstream = false;
  for (const table of UPSTREAM_VERSION_TABLES) {
    if (await tableExists(db, table)) upstream = true;
  }
  if (!upstream) {
    throw new Error(
      'Table cluster exists but neither migrate_version nor alembic_version does: the ' +
        'database is not an upstream Senlin database and was not created by senlin-ts; ' +
        'use an empty database',
    );
  }
  for (const [table, column] of LATEST_UPSTREAM_COLUMNS) {
    const columns = await columnNames(db, table);
    if (!columns.includes(column)) {
      throw new Error(
        `The upstream Senlin database lacks ${table}.${column}: upgrade it to the final ` +
          'upstream schema with senlin-manage db_sync before adopting it',
      );
    }
  }
}

/** Creates the upstream tables, or adopts an upstream database as it is. */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (await tableExists(db, 'cluster')) {
    await checkAdoptable(db);
    return;
  }
  const dialect = dialectOf(db);
  for (const table of UPSTREAM_TABLES) {
    await createTable(db, dialect, table);
  }
}
