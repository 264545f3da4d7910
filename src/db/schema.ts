/**
 * Table types of the senlin-ts database: upstream Senlin 14's 14 tables with the same table and
 * column names. Column types here are the raw values exchanged with the drivers; `codec.ts`
 * turns them into JavaScript values (JSON text ↔ objects, time strings ↔ Dates, 0/1 ↔ booleans).
 */
import type { ColumnType } from 'kysely';

/** JSON document stored as TEXT / LONGTEXT (`Dict` and `List` upstream). */
export type JsonText = string | null;
/** UTC time stored as `YYYY-MM-DD HH:MM:SS.ffffff` text (SQLite) or DATETIME(6)/timestamp. */
export type TimeText = string | null;
/** Boolean written as 0/1; read as 0/1 (SQLite, MySQL) or true/false (PostgreSQL). */
export type BoolValue = ColumnType<number | boolean | null, number | null, number | null>;
/** Numeric(18,6) epoch seconds; PostgreSQL and MySQL return decimal strings. */
export type EpochValue = ColumnType<number | string | null, number | null, number | null>;

export interface ProfileTable {
  id: string;
  name: string | null;
  type: string | null;
  context: JsonText;
  spec: JsonText;
  user: string;
  project: string;
  domain: string | null;
  permission: string | null;
  meta_data: JsonText;
  created_at: TimeText;
  updated_at: TimeText;
}

export interface PolicyTable {
  id: string;
  name: string | null;
  type: string | null;
  user: string;
  project: string;
  domain: string | null;
  cooldown: number | null;
  level: number | null;
  spec: JsonText;
  data: JsonText;
  created_at: TimeText;
  updated_at: TimeText;
}

export interface ClusterTable {
  id: string;
  name: string;
  profile_id: string;
  user: string;
  project: string;
  domain: string | null;
  parent: string | null;
  init_at: TimeText;
  created_at: TimeText;
  updated_at: TimeText;
  min_size: number | null;
  max_size: number | null;
  desired_capacity: number | null;
  next_index: number | null;
  timeout: number | null;
  status: string | null;
  status_reason: string | null;
  meta_data: JsonText;
  data: JsonText;
  dependents: JsonText;
  config: JsonText;
}

export interface NodeTable {
  id: string;
  name: string | null;
  physical_id: string | null;
  cluster_id: string | null;
  profile_id: string;
  user: string | null;
  project: string | null;
  domain: string | null;
  index: number | null;
  role: string | null;
  init_at: TimeText;
  created_at: TimeText;
  updated_at: TimeText;
  tainted: BoolValue;
  status: string | null;
  status_reason: string | null;
  meta_data: JsonText;
  data: JsonText;
  dependents: JsonText;
}

export interface ClusterLockTable {
  cluster_id: string;
  action_ids: JsonText;
  semaphore: number | null;
}

export interface NodeLockTable {
  node_id: string;
  action_id: string | null;
}

export interface ClusterPolicyTable {
  id: string;
  cluster_id: string;
  policy_id: string;
  cooldown: number | null;
  priority: number | null;
  level: number | null;
  enabled: BoolValue;
  data: JsonText;
  last_op: TimeText;
}

export interface HealthRegistryTable {
  id: string;
  cluster_id: string;
  check_type: string | null;
  interval: number | null;
  params: JsonText;
  engine_id: string | null;
  enabled: BoolValue;
}

export interface ReceiverTable {
  id: string;
  name: string | null;
  type: string | null;
  user: string | null;
  project: string | null;
  domain: string | null;
  created_at: TimeText;
  updated_at: TimeText;
  cluster_id: string | null;
  actor: JsonText;
  action: string | null;
  params: JsonText;
  channel: JsonText;
}

export interface CredentialTable {
  user: string;
  project: string;
  cred: string;
  data: JsonText;
}

export interface ActionTable {
  id: string;
  name: string | null;
  cluster_id: string | null;
  context: JsonText;
  target: string | null;
  action: string | null;
  cause: string | null;
  owner: string | null;
  interval: number | null;
  start_time: EpochValue;
  end_time: EpochValue;
  timeout: number | null;
  control: string | null;
  status: string | null;
  status_reason: string | null;
  inputs: JsonText;
  outputs: JsonText;
  data: JsonText;
  depends_on: JsonText;
  depended_by: JsonText;
  created_at: TimeText;
  updated_at: TimeText;
  user: string | null;
  project: string | null;
  domain: string | null;
}

export interface DependencyTable {
  id: string;
  depended: string;
  dependent: string;
}

export interface EventTable {
  id: string;
  timestamp: string;
  oid: string | null;
  oname: string | null;
  otype: string | null;
  cluster_id: string | null;
  level: string | null;
  user: string | null;
  project: string | null;
  action: string | null;
  status: string | null;
  status_reason: string | null;
  meta_data: JsonText;
}

export interface ServiceTable {
  id: string;
  host: string | null;
  binary: string | null;
  topic: string | null;
  disabled: BoolValue;
  disabled_reason: string | null;
  created_at: TimeText;
  updated_at: TimeText;
}

/** senlin-ts's own table: pooled resources held by nodes (migration 003). */
export interface PoolClaimTable {
  kind: string;
  resource_id: string;
  pool: string;
  node_id: string;
  sticky: BoolValue;
  created_at: TimeText;
}

/** The whole database as kysely sees it. */
export interface Database {
  profile: ProfileTable;
  policy: PolicyTable;
  cluster: ClusterTable;
  node: NodeTable;
  cluster_lock: ClusterLockTable;
  node_lock: NodeLockTable;
  cluster_policy: ClusterPolicyTable;
  health_registry: HealthRegistryTable;
  receiver: ReceiverTable;
  credential: CredentialTable;
  action: ActionTable;
  dependency: DependencyTable;
  event: EventTable;
  service: ServiceTable;
  senlin_ts_pool_claim: PoolClaimTable;
}

/** Names of the 14 upstream tables. */
export const TABLE_NAMES = [
  'profile',
  'policy',
  'cluster',
  'node',
  'cluster_lock',
  'node_lock',
  'cluster_policy',
  'health_registry',
  'receiver',
  'credential',
  'action',
  'dependency',
  'event',
  'service',
] as const satisfies readonly (keyof Database)[];
