/**
 * Parsing of `[database] connection`: our own URLs and the SQLAlchemy URLs found in upstream
 * Senlin configuration files (`mysql+pymysql://…`, `sqlite:////var/lib/senlin/senlin.sqlite`).
 */

/** An SQLite database: a file path (as written, maybe relative) or an in-memory database. */
export interface SqliteTarget {
  readonly dialect: 'sqlite';
  /** File path, or `:memory:`. */
  readonly path: string;
  readonly memory: boolean;
}

/** TLS settings taken from the URL query (`sslmode`, `ssl_ca`, …). */
export interface TlsTarget {
  /** Whether the server certificate must be verified. */
  readonly verify: boolean;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** A PostgreSQL or MySQL/MariaDB server. */
export interface ServerTarget {
  readonly dialect: 'postgresql' | 'mysql';
  /** SQLAlchemy driver suffix (`psycopg2`, `pymysql`, …) or null; informational only. */
  readonly driver: string | null;
  readonly host?: string;
  readonly port?: number;
  /** Unix socket: a directory (PostgreSQL) or the socket file (MySQL). */
  readonly socket?: string;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  /** Character set asked for in the URL (`charset=utf8`); connections always use utf8mb4. */
  readonly charset?: string;
  /** Set when the URL asks for TLS. */
  readonly tls?: TlsTarget;
  /** PostgreSQL `application_name`. */
  readonly applicationName?: string;
  /** Seconds to wait for a connection to be established (`connect_timeout`). */
  readonly connectTimeout?: number;
}

/** Where `[database] connection` points. */
export type DatabaseTarget = SqliteTarget | ServerTarget;

const SCHEMES: Readonly<Record<string, 'sqlite' | 'postgresql' | 'mysql'>> = {
  sqlite: 'sqlite',
  postgresql: 'postgresql',
  postgres: 'postgresql',
  pgsql: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
};

/**
 * `scheme://[user[:password]@][host|[ipv6]][:port][/database][?query]`. The password runs up
 * to the last `@` before the host part, so unencoded `@` in passwords still parses.
 */
const SERVER_URL = /^(?<user>[^:@/?]*)(?::(?<password>.*))?@(?<rest>[^@]*)$|^(?<restOnly>[^@]*)$/s;
const HOST_PART =
  /^(?:\[(?<ipv6>[^\]]+)\]|(?<host>[^/:?]*))(?::(?<port>[^/?]*))?(?:\/(?<database>[^?]*))?(?:\?(?<query>.*))?$/s;

function invalid(url: string, reason: string): Error {
  return new Error(`Invalid [database] connection '${redactUrl(url)}': ${reason}`);
}

function decode(url: string, part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalid(url, `the ${what} is not correctly percent-encoded`);
  }
}

/** Hides the password of a database URL (userinfo and `password=` query values) for logs. */
export function redactUrl(url: string): string {
  return url
    .replace(/^(\s*[^:/?#]+:\/\/[^:@/?]*):.*@/s, '$1:***@')
    .replace(/([?&](?:password|passwd|sslpassword)=)[^&]*/gi, '$1***');
}

function parseSqlite(url: string, rest: string): SqliteTarget {
  // Query options of pysqlite URLs (timeout, uri, …) have no meaning here.
  const [pathPart = ''] = splitOnce(rest, '?');
  if (pathPart === '') return { dialect: 'sqlite', path: ':memory:', memory: true };
  if (!pathPart.startsWith('/')) {
    throw invalid(url, 'an SQLite URL has the form sqlite:///relative/path or sqlite:////abs/path');
  }
  const path = decode(url, pathPart.slice(1), 'path');
  if (path === '' || path === ':memory:') {
    return { dialect: 'sqlite', path: ':memory:', memory: true };
  }
  return { dialect: 'sqlite', path, memory: false };
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

function parsePort(url: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalid(url, `port '${raw}' is not a number between 1 and 65535`);
  }
  return port;
}

function tlsFrom(dialect: ServerTarget['dialect'], q: URLSearchParams): TlsTarget | undefined {
  const file = (...names: string[]): string | undefined =>
    names.map((n) => q.get(n)).find((v): v is string => v !== null && v !== '');
  const ca = file('ssl_ca', 'sslrootcert');
  const cert = file('ssl_cert', 'sslcert');
  const key = file('ssl_key', 'sslkey');
  const files = { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
  if (dialect === 'postgresql') {
    const mode = q.get('sslmode');
    if (mode === null || mode === 'disable' || mode === 'allow' || mode === 'prefer') {
      return ca || cert ? { verify: mode !== null, ...files } : undefined;
    }
    return { verify: mode === 'verify-ca' || mode === 'verify-full', ...files };
  }
  const wanted = q.get('ssl') ?? q.get('ssl_mode');
  if (!ca && !cert && (wanted === null || /^(0|false|disabled?)$/i.test(wanted))) return undefined;
  const check = q.get('ssl_check_hostname') ?? q.get('ssl_verify_cert');
  return { verify: check === null ? Boolean(ca) : !/^(0|false)$/i.test(check), ...files };
}

function parseServer(
  url: string,
  dialect: ServerTarget['dialect'],
  driver: string | null,
  rest: string,
): ServerTarget {
  const m = SERVER_URL.exec(rest);
  const groups = m?.groups ?? {};
  const hostPart = groups.rest ?? groups.restOnly ?? '';
  const h = HOST_PART.exec(hostPart)?.groups;
  if (!h) throw invalid(url, 'cannot read host, port and database name');
  const q = new URLSearchParams(h.query ?? '');
  const user = groups.user ? decode(url, groups.user, 'user name') : undefined;
  const password =
    groups.password !== undefined ? decode(url, groups.password, 'password') : undefined;
  const database = h.database ? decode(url, h.database, 'database name') : undefined;
  if (database?.includes('/')) throw invalid(url, `database name '${database}' contains '/'`);
  const hostRaw = h.ipv6 ?? (h.host ? decode(url, h.host, 'host') : undefined);
  const socketParam = dialect === 'mysql' ? q.get('unix_socket') : q.get('host');
  const socket =
    socketParam && (dialect === 'mysql' || socketParam.startsWith('/')) ? socketParam : undefined;
  const host = hostRaw ?? (socketParam && !socket ? socketParam : undefined);
  const port = parsePort(url, h.port ?? q.get('port') ?? undefined);
  if (dialect === 'mysql' && !database) {
    throw invalid(url, 'the database name is missing (mysql://user:password@host/senlin)');
  }
  const timeout = q.get('connect_timeout');
  const connectTimeout = timeout && /^\d+$/.test(timeout) ? Number(timeout) : undefined;
  const tls = tlsFrom(dialect, q);
  const charset = q.get('charset') ?? undefined;
  const applicationName = q.get('application_name') ?? undefined;
  return {
    dialect,
    driver,
    ...(host !== undefined ? { host } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(socket !== undefined ? { socket } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(database !== undefined ? { database } : {}),
    ...(charset !== undefined ? { charset } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(applicationName !== undefined ? { applicationName } : {}),
    ...(connectTimeout !== undefined ? { connectTimeout } : {}),
  };
}

/**
 * Parses `[database] connection`. Accepts `sqlite:///relative/path`, `sqlite:////abs/path`,
 * `sqlite://` and `sqlite:///:memory:` (in-memory), `postgresql://`, `postgres://`,
 * `mysql://`, `mariadb://`, any of them with an SQLAlchemy driver suffix (`+pymysql`), with
 * percent-encoded user and password, host (IPv6 in brackets), port, database, and query
 * options (`charset`, `unix_socket` / `host=/socket/dir`, TLS options; unknown ones ignored).
 * Throws an Error naming `[database] connection` (with the password hidden) when malformed.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const trimmed = url.trim();
  const m =
    /^(?<scheme>[A-Za-z][A-Za-z0-9]*)(?:\+(?<driver>[A-Za-z0-9_]+))?:\/\/(?<rest>.*)$/s.exec(
      trimmed,
    );
  if (!m?.groups) {
    throw invalid(url, 'expected a URL such as sqlite:////var/lib/senlin/senlin.sqlite');
  }
  const scheme = m.groups.scheme?.toLowerCase() ?? '';
  const dialect = SCHEMES[scheme];
  if (!dialect) {
    throw invalid(url, `unsupported database '${scheme}' (use sqlite, postgresql or mysql)`);
  }
  const rest = m.groups.rest ?? '';
  if (dialect === 'sqlite') return parseSqlite(url, rest);
  return parseServer(url, dialect, m.groups.driver?.toLowerCase() ?? null, rest);
}
