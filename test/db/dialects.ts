/**
 * The databases the test/db suite runs against: SQLite always (temporary files), PostgreSQL
 * and MariaDB/MySQL when reachable on 127.0.0.1 (URLs of an administrative connection
 * overridable by SENLIN_TEST_PG_URL / SENLIN_TEST_MYSQL_URL). With SENLIN_TEST_REQUIRE_DBS=1
 * an unreachable server fails the suite instead of being skipped.
 *
 * Usage: `const dialects = await testDialects();` at the top of a test file, then
 * `describe.each(dialects)('… ($name)', (dialect) => { … })` and `dialect.freshDatabase()`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll } from 'vitest';
import {
  type Db,
  type DialectName,
  type OpenDatabaseOptions,
  openDatabase,
} from '../../src/db/connection.js';
import { syncSchema } from '../../src/db/migrate.js';

const PG_URL = process.env.SENLIN_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const MYSQL_URL = process.env.SENLIN_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';
const REQUIRE = process.env.SENLIN_TEST_REQUIRE_DBS === '1';

/** A fresh empty database: its connection URL and how to get rid of it. */
export interface FreshDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** One dialect of the suite. */
export interface TestDialect {
  readonly name: DialectName;
  /** Creates a new, uniquely named, empty database (dropped after the file's tests). */
  freshDatabase(): Promise<FreshDatabase>;
}

function uniqueName(): string {
  return `senlin_t_${process.pid}_${randomBytes(4).toString('hex')}`;
}

function withDatabase(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

/** Registers `drop` to run after the file's tests and makes it idempotent. */
function track(url: string, drop: () => Promise<void>): FreshDatabase {
  let dropped = false;
  const once = async () => {
    if (dropped) return;
    dropped = true;
    await drop();
  };
  cleanups.push(once);
  return { url, drop: once };
}

const sqliteDialect: TestDialect = {
  name: 'sqlite',
  freshDatabase: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'senlin-db-'));
    return track(`sqlite:///${join(dir, 'senlin.sqlite')}`, async () =>
      rmSync(dir, { recursive: true, force: true }),
    );
  },
};

async function pgAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function mysqlAdmin<T>(fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
  const conn = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 2000 });
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

const postgresDialect: TestDialect = {
  name: 'postgresql',
  freshDatabase: async () => {
    const name = uniqueName();
    await pgAdmin((c) => c.query(`create database ${name}`));
    return track(withDatabase(PG_URL, name), async () => {
      await pgAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
    });
  },
};

const mysqlDialect: TestDialect = {
  name: 'mysql',
  freshDatabase: async () => {
    const name = uniqueName();
    await mysqlAdmin((c) => c.query(`create database ${name} character set utf8mb4`));
    return track(withDatabase(MYSQL_URL, name), async () => {
      await mysqlAdmin((c) => c.query(`drop database if exists ${name}`));
    });
  },
};

function unreachable(name: DialectName, url: string, err: unknown): TestDialect {
  const reason = err instanceof Error ? err.message : String(err);
  return {
    name,
    freshDatabase: async () => {
      throw new Error(
        `${name} at ${url} is unreachable (${reason}) and SENLIN_TEST_REQUIRE_DBS=1 requires it`,
      );
    },
  };
}

async function probe(
  dialect: TestDialect,
  url: string,
  check: () => Promise<unknown>,
): Promise<TestDialect | null> {
  try {
    await check();
    return dialect;
  } catch (err) {
    if (REQUIRE) return unreachable(dialect.name, url, err);
    console.warn(`test/db: skipping ${dialect.name} (${url} unreachable)`);
    return null;
  }
}

let cached: Promise<TestDialect[]> | undefined;

/** The dialects to run against in this test file. */
export function testDialects(): Promise<TestDialect[]> {
  cached ??= Promise.all([
    probe(postgresDialect, PG_URL, () => pgAdmin((c) => c.query('select 1'))),
    probe(mysqlDialect, MYSQL_URL, () => mysqlAdmin((c) => c.query('select 1'))),
  ]).then((servers) => [sqliteDialect, ...servers.filter((d): d is TestDialect => d !== null)]);
  return cached;
}

/** A quick retry policy for tests. */
export const FAST_RETRY = { limit: 3, interval: 0.01, maxInterval: 0.04 } as const;

/**
 * Opens a fresh database of `dialect` (synced to the latest schema unless `sync` is false);
 * it is closed and dropped after the file's tests.
 */
export async function openFresh(
  dialect: TestDialect,
  opts: { sync?: boolean; options?: Partial<OpenDatabaseOptions> } = {},
): Promise<Db> {
  const fresh = await dialect.freshDatabase();
  const db = await openDatabase({ connection: fresh.url, retry: FAST_RETRY, ...opts.options });
  cleanups.push(() => db.close());
  if (opts.sync !== false) await syncSchema(db);
  return db;
}
