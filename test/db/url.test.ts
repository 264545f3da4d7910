import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, redactUrl } from '../../src/db/url.js';

describe('parseDatabaseUrl with SQLite URLs', () => {
  it('reads three slashes as a relative path', () => {
    expect(parseDatabaseUrl('sqlite:///var/senlin.sqlite')).toEqual({
      dialect: 'sqlite',
      path: 'var/senlin.sqlite',
      memory: false,
    });
  });

  it('reads four slashes as an absolute path', () => {
    expect(parseDatabaseUrl('sqlite:////var/lib/senlin/senlin.sqlite')).toMatchObject({
      path: '/var/lib/senlin/senlin.sqlite',
      memory: false,
    });
  });

  it('reads sqlite:// as an in-memory database', () => {
    expect(parseDatabaseUrl('sqlite://')).toEqual({
      dialect: 'sqlite',
      path: ':memory:',
      memory: true,
    });
  });

  it('reads sqlite:///:memory: as an in-memory database', () => {
    expect(parseDatabaseUrl('sqlite:///:memory:')).toMatchObject({ memory: true });
  });

  it('accepts a driver suffix and ignores query options', () => {
    expect(parseDatabaseUrl('sqlite+pysqlite:////tmp/a.db?timeout=20')).toMatchObject({
      path: '/tmp/a.db',
    });
  });

  it('percent-decodes the path', () => {
    expect(parseDatabaseUrl('sqlite:////tmp/my%20db.sqlite')).toMatchObject({
      path: '/tmp/my db.sqlite',
    });
  });

  it('rejects a host part', () => {
    expect(() => parseDatabaseUrl('sqlite://host/db')).toThrow(/\[database\] connection/);
  });
});

describe('parseDatabaseUrl with PostgreSQL URLs', () => {
  it('reads user, password, host, port and database', () => {
    expect(parseDatabaseUrl('postgresql://senlin:secret@db.example.com:5433/senlin')).toEqual({
      dialect: 'postgresql',
      driver: null,
      user: 'senlin',
      password: 'secret',
      host: 'db.example.com',
      port: 5433,
      database: 'senlin',
    });
  });

  it('accepts postgres:// and postgresql+psycopg2://', () => {
    expect(parseDatabaseUrl('postgres://u@h/d')).toMatchObject({ dialect: 'postgresql' });
    expect(parseDatabaseUrl('postgresql+psycopg2://u@h/d')).toMatchObject({
      dialect: 'postgresql',
      driver: 'psycopg2',
      database: 'd',
    });
  });

  it('percent-decodes user and password', () => {
    expect(parseDatabaseUrl('postgresql://us%40er:p%40ss%3Aw%2Fd@h/d')).toMatchObject({
      user: 'us@er',
      password: 'p@ss:w/d',
    });
  });

  it('keeps an unencoded @ inside the password', () => {
    expect(parseDatabaseUrl('postgresql://u:p@ss@h/d')).toMatchObject({
      user: 'u',
      password: 'p@ss',
      host: 'h',
    });
  });

  it('reads a bracketed IPv6 host', () => {
    expect(parseDatabaseUrl('postgresql://u@[::1]:5432/d')).toMatchObject({
      host: '::1',
      port: 5432,
    });
  });

  it('honours host=/socket/dir as a Unix socket directory', () => {
    const t = parseDatabaseUrl('postgresql://senlin@/senlin?host=/var/run/postgresql');
    expect(t).toMatchObject({ socket: '/var/run/postgresql', database: 'senlin' });
    expect(t).not.toHaveProperty('host');
  });

  it('reads sslmode and application_name and ignores unknown options', () => {
    expect(
      parseDatabaseUrl('postgresql://u@h/d?sslmode=verify-full&application_name=x&foo=bar'),
    ).toMatchObject({ tls: { verify: true }, applicationName: 'x' });
  });

  it('needs no database name', () => {
    expect(parseDatabaseUrl('postgresql://u@h')).not.toHaveProperty('database');
  });
});

describe('parseDatabaseUrl with MySQL URLs', () => {
  it('reads mysql+pymysql URLs with charset', () => {
    expect(parseDatabaseUrl('mysql+pymysql://senlin:pw@192.0.2.5/senlin?charset=utf8')).toEqual({
      dialect: 'mysql',
      driver: 'pymysql',
      user: 'senlin',
      password: 'pw',
      host: '192.0.2.5',
      database: 'senlin',
      charset: 'utf8',
    });
  });

  it('accepts mysql://, mysql+mysqldb:// and mariadb://', () => {
    for (const url of ['mysql://u@h/d', 'mysql+mysqldb://u@h/d', 'mariadb://u@h/d']) {
      expect(parseDatabaseUrl(url)).toMatchObject({ dialect: 'mysql', database: 'd' });
    }
  });

  it('honours unix_socket', () => {
    expect(
      parseDatabaseUrl('mysql+pymysql://u:p@localhost/d?unix_socket=/run/mysqld/mysqld.sock'),
    ).toMatchObject({ socket: '/run/mysqld/mysqld.sock' });
  });

  it('requires a database name', () => {
    expect(() => parseDatabaseUrl('mysql://u:p@h')).toThrow(/database name is missing/);
  });
});

describe('parseDatabaseUrl errors', () => {
  it('rejects unknown databases naming the option', () => {
    expect(() => parseDatabaseUrl('oracle://u@h/d')).toThrow(
      /^Invalid \[database\] connection .*unsupported database 'oracle'/,
    );
  });

  it('rejects text that is not a URL', () => {
    expect(() => parseDatabaseUrl('/var/lib/senlin.sqlite')).toThrow(/\[database\] connection/);
  });

  it('rejects a port that is not a number', () => {
    expect(() => parseDatabaseUrl('postgresql://u@h:abc/d')).toThrow(/port 'abc'/);
  });

  it('rejects a port out of range', () => {
    expect(() => parseDatabaseUrl('mysql://u@h:70000/d')).toThrow(/port '70000'/);
  });

  it('never shows the password in the error', () => {
    expect(() => parseDatabaseUrl('mysql://u:hunter2@h:bad/d')).toThrow(/u:\*\*\*@/);
    try {
      parseDatabaseUrl('mysql://u:hunter2@h:bad/d');
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });

  it('rejects badly percent-encoded passwords without showing them', () => {
    let message = '';
    try {
      parseDatabaseUrl('postgresql://u:sec%ZZret@h/d');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/password is not correctly percent-encoded/);
    expect(message).not.toContain('sec');
  });
});

describe('redactUrl', () => {
  it('hides the password of the userinfo', () => {
    expect(redactUrl('mysql+pymysql://senlin:s3cret@db/senlin')).toBe(
      'mysql+pymysql://senlin:***@db/senlin',
    );
  });

  it('hides a password containing @', () => {
    expect(redactUrl('postgresql://u:a@b@host/d')).toBe('postgresql://u:***@host/d');
  });

  it('hides password query options', () => {
    expect(redactUrl('postgresql://u@h/d?password=x&sslmode=require')).toBe(
      'postgresql://u@h/d?password=***&sslmode=require',
    );
  });

  it('leaves URLs without password alone', () => {
    expect(redactUrl('sqlite:////var/lib/senlin.sqlite')).toBe('sqlite:////var/lib/senlin.sqlite');
  });
});
