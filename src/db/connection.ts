/**
 * Opening the database: SQLite (better-sqlite3), PostgreSQL (pg) or MySQL/MariaDB (mysql2),
 * configured so that every dialect hands back times as text and decimals as strings, and
 * wrapped in a `Db` that retries transient errors.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type Dialect,
  Kysely,
  MysqlDialect,
  PostgresDialect,
  sql,
  type Transaction,
} from 'kysely';
import mysql from 'mysql2';
import pg from 'pg';
import type { Config } from '../config/options.js';
import type { DialectName } from './dialect.js';
import {
  DEFAULT_RETRY_POLICY,
  isConnectRetryable,
  type RetryPolicy,
  retryPolicyFromConfig,
  sleep,
  withRetry,
} from './retry.js';
import type { Database } from './schema.js';
import { SenlinSqliteDialect } from './sqlite-dialect.js';
import { parseDatabaseUrl, redactUrl, type ServerTarget, type SqliteTarget } from './url.js';

export type { DialectName } from './dialect.js';

/** An open database. Query functions take `db.kysely` (or a transaction) and do not retry. */
export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  /** Redacted URL or file path, for logs. */
  readonly description: string;
  /** Runs fn in a transaction, retrying the whole transaction on transient errors. */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** Runs fn (a statement or a few) retrying on transient errors. */
  retry<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** How to open the database. Times are in seconds unless the name says otherwise. */
export interface OpenDatabaseOptions {
  /** `[database] connection` URL (see url.ts for the accepted forms). */
  connection: string;
  /** Largest number of pooled connections (PostgreSQL, MySQL); default 5. */
  maxPoolSize?: number;
  /** Seconds to wait for a pooled connection or a new connection; default 30. */
  poolTimeout?: number;
  /** Seconds after which pooled connections are replaced; default 3600. */
  connectionRecycleTime?: number;
  /** Retry policy of `transaction` and `retry`; default upstream's (10 × 0.3 s … 2 s). */
  retry?: RetryPolicy;
  /** Retries of the first connection (-1: forever); default 0. */
  connectRetries?: number;
  /** Seconds between those retries; default 10. */
  connectRetryInterval?: number;
  /** Milliseconds SQLite waits for a lock before failing with SQLITE_BUSY; default 5000. */
  sqliteBusyTimeout?: number;
  /** SQLite `synchronous` FULL (true, default) or OFF (false). */
  sqliteSynchronous?: boolean;
  /** Receives errors of idle pooled connections (they are dropped from the pool). */
  onPoolError?: (err: Error) => void;
}

interface Opened {
  readonly dialect: Dialect;
  readonly name: DialectName;
  readonly description: string;
}

function openSqlite(target: SqliteTarget, options: OpenDatabaseOptions): Opened {
  const path = target.memory ? ':memory:' : resolve(target.path);
  const description = target.memory ? 'sqlite (in memory)' : `sqlite:///${path}`;
  let db: BetterSqlite3.Database | undefined;
  try {
    if (!target.memory) mkdirSync(dirname(path), { recursive: true });
    db = new BetterSqlite3(path);
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.sqliteBusyTimeout ?? 5000))}`);
    if (!target.memory) db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.sqliteSynchronous === false ? 'OFF' : 'FULL'}`);
    db.pragma('foreign_keys = ON');
  } catch (err) {
    db?.close();
    throw new Error(`Cannot open the SQLite database ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return { dialect: new SenlinSqliteDialect({ database: db }), name: 'sqlite', description };
}

function tlsFile(path: string | undefined): string | undefined {
  return path === undefined ? undefined : readFileSync(path, 'utf8');
}

function tlsOptions(target: ServerTarget) {
  const tls = target.tls;
  if (!tls) return undefined;
  return {
    rejectUnauthorized: tls.verify,
    ...(tls.ca ? { ca: tlsFile(tls.ca) } : {}),
    ...(tls.cert ? { cert: tlsFile(tls.cert) } : {}),
    ...(tls.key ? { key: tlsFile(tls.key) } : {}),
  };
}

/** timestamp (1114) and timestamptz (1184) come back as the server's text. */
const PG_RAW_TIME_OIDS = new Set([1114, 1184]);

function openPostgres(target: ServerTarget, options: OpenDatabaseOptions, url: string): Opened {
  const timeoutMs = (target.connectTimeout ?? options.poolTimeout ?? 30) * 1000;
  const pool = new pg.Pool({
    host: target.socket ?? target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    ssl: tlsOptions(target),
    max: options.maxPoolSize ?? 5,
    connectionTimeoutMillis: timeoutMs,
    idleTimeoutMillis: 30_000,
    maxLifetimeSeconds: options.connectionRecycleTime ?? 3600,
    application_name: target.applicationName ?? 'senlin-ts',
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        PG_RAW_TIME_OIDS.has(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format),
    },
  });
  pool.on('error', (err) => options.onPoolError?.(err));
  const dialect = new PostgresDialect({
    pool,
    onCreateConnection: async (conn) => {
      await conn.executeQuery(CompiledQuery.raw("set time zone 'UTC'"));
    },
  });
  return { dialect, name: 'postgresql', description: redactUrl(url) };
}

function openMysql(target: ServerTarget, options: OpenDatabaseOptions, url: string): Opened {
  const max = options.maxPoolSize ?? 5;
  const pool = mysql.createPool({
    host: target.socket ? undefined : target.host,
    port: target.port,
    socketPath: target.socket,
    user: target.user,
    password: target.password,
    database: target.database,
    ssl: tlsOptions(target),
    charset: 'utf8mb4',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    connectionLimit: max,
    maxIdle: max,
    idleTimeout: (options.connectionRecycleTime ?? 3600) * 1000,
    connectTimeout: (target.connectTimeout ?? options.poolTimeout ?? 30) * 1000,
    enableKeepAlive: true,
  });
  const dialect = new MysqlDialect({
    pool,
    onCreateConnection: async (conn) => {
      await conn.executeQuery(
        CompiledQuery.raw("set time_zone = '+00:00', sql_mode = 'TRADITIONAL'"),
      );
    },
  });
  return { dialect, name: 'mysql', description: redactUrl(url) };
}

function openDialect(options: OpenDatabaseOptions): Opened {
  const target = parseDatabaseUrl(options.connection);
  if (target.dialect === 'sqlite') return openSqlite(target, options);
  if (target.dialect === 'postgresql') return openPostgres(target, options, options.connection);
  return openMysql(target, options, options.connection);
}

function message(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return err.errors.map((e: unknown) => message(e)).join('; ');
  }
  return err instanceof Error
    ? err.message || String((err as { code?: unknown }).code)
    : String(err);
}

async function verifyConnection(
  kysely: Kysely<Database>,
  description: string,
  options: OpenDatabaseOptions,
): Promise<void> {
  const retries = options.connectRetries ?? 0;
  const intervalMs = (options.connectRetryInterval ?? 10) * 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      await sql`select 1`.execute(kysely);
      return;
    } catch (err) {
      const spent = retries >= 0 && attempt >= retries;
      if (spent || !isConnectRetryable(err)) {
        throw new Error(`Cannot connect to the database ${description}: ${message(err)}`, {
          cause: err,
        });
      }
      await sleep(intervalMs);
    }
  }
}

/**
 * Opens the database of `options.connection` and checks that it answers, retrying the first
 * connection `connectRetries` times. SQLite files (and their directory) are created on
 * demand, in WAL mode with foreign keys enforced.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Db> {
  const opened = openDialect(options);
  const kysely = new Kysely<Database>({ dialect: opened.dialect });
  try {
    await verifyConnection(kysely, opened.description, options);
  } catch (err) {
    await kysely.destroy().catch(() => undefined);
    throw err;
  }
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  let closed = false;
  return {
    kysely,
    dialect: opened.name,
    description: opened.description,
    transaction: (fn) => withRetry(() => kysely.transaction().execute(fn), policy),
    retry: (fn) => withRetry(() => fn(kysely), policy),
    close: async () => {
      if (closed) return;
      closed = true;
      await kysely.destroy();
    },
  };
}

/** File name of the embedded SQLite database inside `data_dir`. */
export const SQLITE_FILE_NAME = 'senlin.sqlite';

/**
 * Open options from senlin.conf: `[database]` and `[DEFAULT] database_retry_*`. Without
 * `[database] connection` the database is the SQLite file `<dataDir>/senlin.sqlite`.
 */
export function databaseOptionsFromConfig(config: Config, dataDir: string): OpenDatabaseOptions {
  const d = config.database;
  const connection = d.connection ?? `sqlite:///${resolve(join(dataDir, SQLITE_FILE_NAME))}`;
  return {
    connection,
    maxPoolSize: d.max_pool_size,
    poolTimeout: d.pool_timeout,
    connectionRecycleTime: d.connection_recycle_time,
    connectRetries: d.max_retries,
    connectRetryInterval: d.retry_interval,
    sqliteSynchronous: d.sqlite_synchronous,
    retry: retryPolicyFromConfig(config),
  };
}
