import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { TransientDbError } from '../../src/common/errors.js';
import { type Config, OPTIONS } from '../../src/config/options.js';
import { databaseOptionsFromConfig, openDatabase } from '../../src/db/connection.js';
import { syncSchema } from '../../src/db/migrate.js';
import { FAST_RETRY, testDialects } from './dialects.js';

const dialects = await testDialects();
const servers = dialects.filter((d) => d.name !== 'sqlite');

const tmp = mkdtempSync(join(tmpdir(), 'senlin-conn-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function defaultConfig(overrides: { database?: Record<string, unknown> } = {}): Config {
  const groups = Object.entries(OPTIONS).map(([group, options]) => [
    group,
    Object.fromEntries(Object.entries(options).map(([name, def]) => [name, def.default])),
  ]);
  const config = Object.fromEntries(groups) as Record<string, Record<string, unknown>>;
  config.database = { ...config.database, ...overrides.database };
  return config as unknown as Config;
}

function errorCode(err: unknown): unknown {
  return (err as { code?: unknown }).code ?? (err as { errno?: unknown }).errno;
}

describe('databaseOptionsFromConfig', () => {
  it('uses senlin.sqlite in the data directory when no connection is set', () => {
    const options = databaseOptionsFromConfig(defaultConfig(), '/var/lib/senlin');
    expect(options.connection).toBe('sqlite:////var/lib/senlin/senlin.sqlite');
  });

  it('passes [database] and [DEFAULT] database_retry_* options through', () => {
    const config = defaultConfig({
      database: { connection: 'mysql://u:p@h/senlin', max_pool_size: 7, max_retries: -1 },
    });
    expect(databaseOptionsFromConfig(config, '/data')).toMatchObject({
      connection: 'mysql://u:p@h/senlin',
      maxPoolSize: 7,
      poolTimeout: 30,
      connectRetries: -1,
      connectRetryInterval: 10,
      retry: { limit: 10, interval: 0.3, maxInterval: 2 },
    });
  });
});

describe('openDatabase with SQLite', () => {
  it('creates the file and its missing directories', async () => {
    const file = join(tmp, 'a', 'b', 'senlin.sqlite');
    const db = await openDatabase({ connection: `sqlite:///${file}` });
    await db.close();
    expect(existsSync(file)).toBe(true);
    expect(db.description).toBe(`sqlite:///${file}`);
  });

  it('turns on WAL, foreign keys and the busy timeout', async () => {
    const db = await openDatabase({ connection: `sqlite:///${join(tmp, 'pragmas.sqlite')}` });
    const get = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(db.kysely)).rows[0] as object)[0];
    expect(await get('journal_mode')).toBe('wal');
    expect(await get('foreign_keys')).toBe(1);
    expect(await get('busy_timeout')).toBe(5000);
    await db.close();
  });

  it('opens an in-memory database', async () => {
    const db = await openDatabase({ connection: 'sqlite://' });
    expect(await syncSchema(db)).toHaveLength(3);
    expect(db.dialect).toBe('sqlite');
    await db.close();
  });

  it('reports a path that cannot be created', async () => {
    const blocker = join(tmp, 'blocker');
    await openDatabase({ connection: `sqlite:///${blocker}` }).then((db) => db.close());
    await expect(
      openDatabase({ connection: `sqlite:///${join(blocker, 'sub', 'x.sqlite')}` }),
    ).rejects.toThrow(/Cannot open the SQLite database/);
  });

  it('reports a file that is not an SQLite database', async () => {
    const file = join(tmp, 'garbage.sqlite');
    writeFileSync(file, 'this is not a database, just text that is long enough '.repeat(40));
    await expect(openDatabase({ connection: `sqlite:///${file}` })).rejects.toThrow(
      /^Cannot open the SQLite database .*garbage\.sqlite: file is not a database/,
    );
  });
});

describe('transient SQLite errors', () => {
  async function lockedSetup(limit: number) {
    const file = join(tmp, `busy-${limit}.sqlite`);
    const db = await openDatabase({
      connection: `sqlite:///${file}`,
      sqliteBusyTimeout: 0,
      retry: { limit, interval: 0.02, maxInterval: 0.02 },
    });
    await syncSchema(db);
    const other = new BetterSqlite3(file);
    other.exec('begin immediate');
    return { db, other };
  }

  it('retries a write that met SQLITE_BUSY until the lock is gone', async () => {
    const { db, other } = await lockedSetup(20);
    setTimeout(() => other.exec('commit'), 60);
    await db.retry((k) => k.insertInto('service').values({ id: 's1', host: 'h' }).execute());
    other.close();
    const rows = await db.kysely.selectFrom('service').select('id').execute();
    expect(rows).toEqual([{ id: 's1' }]);
    await db.close();
  });

  it('gives up with a TransientDbError caused by SQLITE_BUSY', async () => {
    const { db, other } = await lockedSetup(1);
    const failure = await db
      .transaction((trx) => trx.insertInto('service').values({ id: 's1' }).execute())
      .catch((e: unknown) => e);
    other.exec('rollback');
    other.close();
    await db.close();
    expect(failure).toBeInstanceOf(TransientDbError);
    expect(errorCode((failure as Error).cause)).toMatch(/^SQLITE_BUSY/);
  });
});

/** A TCP proxy to `target` that starts listening only when asked to. */
function delayedProxy(targetPort: number) {
  const sockets: Socket[] = [];
  let server: Server | undefined;
  return {
    start(port: number) {
      server = createServer((client) => {
        const upstream = connect(targetPort, '127.0.0.1');
        sockets.push(client, upstream);
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      server.listen(port, '127.0.0.1');
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        if (server) server.close(() => resolve());
        else resolve();
      }),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.each(servers)('connecting to $name', (dialect) => {
  it('describes the database without its password', async () => {
    const fresh = await dialect.freshDatabase();
    const u = new URL(fresh.url);
    if (dialect.name === 'postgresql') u.password = 'topsecret';
    const db = await openDatabase({ connection: u.toString() });
    expect(db.description).not.toContain('topsecret');
    expect(db.description).toContain(u.pathname);
    await db.close();
  });

  it('fails with a clear error when the server never answers', async () => {
    const port = await freePort();
    const url = `${dialect.name}://u:hunter2@127.0.0.1:${port}/nothing`;
    const started = Date.now();
    const failure = await openDatabase({
      connection: url,
      connectRetries: 2,
      connectRetryInterval: 0.05,
    }).catch((e: unknown) => e as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/^Cannot connect to the database .*ECONNREFUSED/);
    expect((failure as Error).message).not.toContain('hunter2');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('keeps trying until the server becomes reachable', async () => {
    const fresh = await dialect.freshDatabase();
    const real = new URL(fresh.url);
    const port = await freePort();
    const proxy = delayedProxy(Number(real.port || (dialect.name === 'mysql' ? 3306 : 5432)));
    real.port = String(port);
    setTimeout(() => proxy.start(port), 150);
    const db = await openDatabase({
      connection: real.toString(),
      connectRetries: 40,
      connectRetryInterval: 0.05,
    });
    const r = await sql<{ one: number }>`select 1 as one`.execute(db.kysely);
    expect(Number(r.rows[0]?.one)).toBe(1);
    await db.close();
    await proxy.stop();
  });

  it('does not retry errors that waiting cannot cure', async () => {
    const fresh = await dialect.freshDatabase();
    const u = new URL(fresh.url);
    u.pathname = '/senlin_no_such_database';
    const started = Date.now();
    await expect(
      openDatabase({ connection: u.toString(), connectRetries: 5, connectRetryInterval: 1 }),
    ).rejects.toThrow(/Cannot connect to the database/);
    expect(Date.now() - started).toBeLessThan(900);
  });
});

describe.each(servers)('deadlocks on $name', (dialect) => {
  it('retries the transaction that lost a real deadlock', async () => {
    const codes: unknown[] = [];
    const fresh = await dialect.freshDatabase();
    const db = await openDatabase({
      connection: fresh.url,
      retry: { ...FAST_RETRY, onRetry: (err) => codes.push(errorCode(err)) },
    });
    await syncSchema(db);
    await db.kysely
      .insertInto('service')
      .values([
        { id: 'a', topic: '0' },
        { id: 'b', topic: '0' },
      ])
      .execute();
    let release: () => void = () => undefined;
    const bothLocked = new Promise<void>((resolve) => {
      let waiting = 2;
      release = () => {
        waiting -= 1;
        if (waiting === 0) resolve();
      };
    });
    let attempts = 0;
    const swap = (first: string, second: string) =>
      db.transaction(async (trx) => {
        attempts += 1;
        await trx.updateTable('service').set({ topic: first }).where('id', '=', first).execute();
        release();
        await bothLocked;
        await trx.updateTable('service').set({ topic: first }).where('id', '=', second).execute();
      });
    try {
      await Promise.all([swap('a', 'b'), swap('b', 'a')]);
    } finally {
      await db.close();
    }
    expect(attempts).toBe(3);
    expect(codes).toEqual([dialect.name === 'mysql' ? 'ER_LOCK_DEADLOCK' : '40P01']);
  });
});
