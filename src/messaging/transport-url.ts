/**
 * oslo.messaging transport URLs: `rabbit://user:pass@host1:5672,user:pass@host2:5672/vhost`.
 * Several hosts mean a cluster of brokers tried in turn. `kombu://` and `amqp://` name the same
 * driver; `?ssl=1` (or `[oslo_messaging_rabbit] ssl`) selects TLS.
 */
import { ConfigError } from '../config/config-error.js';

/** One broker of a transport, ready for an AMQP 0-9-1 connection. */
export interface BrokerAddress {
  readonly protocol: 'amqp' | 'amqps';
  readonly hostname: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly vhost: string;
}

/** A parsed transport URL. */
export interface Transport {
  readonly brokers: readonly BrokerAddress[];
}

const SCHEMES = ['rabbit', 'kombu', 'amqp'];

function decode(text: string, url: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ConfigError(`Invalid transport URL ${redact(url)}: bad percent-encoding.`);
  }
}

/** The URL with its passwords replaced, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/(\/\/|,)([^:@/,]*):([^@/,]*)@/g, '$1$2:***@');
}

function parseHost(
  part: string,
  url: string,
  previous: BrokerAddress | undefined,
  tls: boolean,
  vhost: string,
): BrokerAddress {
  const at = part.lastIndexOf('@');
  const credentials = at >= 0 ? part.slice(0, at) : null;
  const hostPort = at >= 0 ? part.slice(at + 1) : part;
  let username = previous?.username ?? 'guest';
  let password = previous?.password ?? 'guest';
  if (credentials !== null) {
    const colon = credentials.indexOf(':');
    username = decode(colon >= 0 ? credentials.slice(0, colon) : credentials, url);
    password = colon >= 0 ? decode(credentials.slice(colon + 1), url) : '';
  }
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*)(?::(\d*))?$/.exec(hostPort);
  if (!match)
    throw new ConfigError(`Invalid transport URL ${redact(url)}: bad host '${hostPort}'.`);
  const rawHost = match[1] ?? '';
  const hostname = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  const port = match[2] ? Number(match[2]) : tls ? 5671 : 5672;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`Invalid transport URL ${redact(url)}: bad port in '${hostPort}'.`);
  }
  return {
    protocol: tls ? 'amqps' : 'amqp',
    hostname: hostname || 'localhost',
    port,
    username,
    password,
    vhost,
  };
}

function truthy(value: string | null): boolean {
  return value !== null && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

/**
 * Parses a transport URL. `ssl` forces TLS for every broker. Throws ConfigError for a URL
 * that is not a RabbitMQ transport.
 */
export function parseTransportUrl(url: string, ssl = false): Transport {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url);
  if (!scheme) throw new ConfigError(`Invalid transport URL ${redact(url)}: expected rabbit://.`);
  const driver = (scheme[1] ?? '').toLowerCase();
  if (!SCHEMES.includes(driver)) {
    throw new ConfigError(
      `Unsupported transport '${driver}' in ${redact(url)}: senlin-ts speaks AMQP 0-9-1 to RabbitMQ (rabbit://).`,
    );
  }
  let rest = scheme[2] ?? '';
  let query: URLSearchParams = new URLSearchParams();
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = new URLSearchParams(rest.slice(q + 1));
    rest = rest.slice(0, q);
  }
  const slash = rest.indexOf('/');
  const netloc = slash >= 0 ? rest.slice(0, slash) : rest;
  const path = slash >= 0 ? decode(rest.slice(slash + 1), url) : '';
  const vhost = path === '' ? '/' : path;
  const tls = ssl || truthy(query.get('ssl'));
  const brokers: BrokerAddress[] = [];
  for (const part of netloc.split(',')) {
    if (part.trim() === '') continue;
    brokers.push(parseHost(part.trim(), url, brokers.at(-1), tls, vhost));
  }
  if (brokers.length === 0) {
    brokers.push(parseHost('localhost', url, undefined, tls, vhost));
  }
  return { brokers };
}

/** `host:port` of a broker, for logs. */
export function brokerLabel(b: BrokerAddress): string {
  const host = b.hostname.includes(':') ? `[${b.hostname}]` : b.hostname;
  return `${b.protocol}://${host}:${b.port}`;
}
