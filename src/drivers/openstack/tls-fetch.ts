/**
 * A `fetch` for clouds whose TLS needs settings the global fetch cannot take: a private CA
 * (`[authentication] cafile`), a client certificate (`certfile`, `keyfile`) or no verification
 * (`insecure`, `verify_ssl = false`). It speaks HTTP(S) through node:http(s) with an agent
 * holding those settings and answers a standard Response.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { CloudError } from '../types.js';
import type { FetchLike } from './http.js';

/** TLS settings of the `[authentication]` group. */
export interface TlsSettings {
  readonly verify: boolean;
  readonly cafile: string | null;
  readonly certfile: string | null;
  readonly keyfile: string | null;
}

/** True when the settings need more than the global fetch offers. */
export function needsTlsFetch(tls: TlsSettings): boolean {
  return !tls.verify || tls.cafile !== null || tls.certfile !== null || tls.keyfile !== null;
}

function readPem(path: string | null, option: string): Buffer | undefined {
  if (path === null) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CloudError(
      500,
      `Cannot read [authentication] ${option} ${path}: ${(error as Error).message}`,
    );
  }
}

function headersOf(message: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(message.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  return headers;
}

function plainHeaders(init: RequestInit['headers']): Record<string, string> {
  return Object.fromEntries(new Headers(init).entries());
}

/** A fetch that can release its pooled connections. */
export type ClosableFetch = FetchLike & { close(): void };

/** A fetch using the TLS settings (files are read once, at the first request). */
export function createTlsFetch(tls: TlsSettings): ClosableFetch {
  let agents: { https: HttpsAgent; http: HttpAgent } | null = null;
  const agentsOf = (): { https: HttpsAgent; http: HttpAgent } => {
    if (agents === null) {
      agents = {
        https: new HttpsAgent({
          keepAlive: true,
          rejectUnauthorized: tls.verify,
          ca: readPem(tls.cafile, 'cafile'),
          cert: readPem(tls.certfile, 'certfile'),
          key: readPem(tls.keyfile, 'keyfile'),
        }),
        http: new HttpAgent({ keepAlive: true }),
      };
    }
    return agents;
  };
  const fetchTls: FetchLike = (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const { https, http } = agentsOf();
      const send = secure ? httpsRequest : httpRequest;
      const req = send(
        target,
        {
          method: init.method ?? 'GET',
          headers: plainHeaders(init.headers),
          agent: secure ? https : http,
          signal: init.signal ?? undefined,
        },
        (res) => {
          const status = res.statusCode ?? 502;
          const empty = status === 204 || status === 304 || init.method === 'HEAD';
          if (empty) res.resume();
          const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
          resolve(new Response(body, { status, headers: headersOf(res) }));
        },
      );
      req.on('error', reject);
      const body = init.body;
      if (typeof body === 'string' || body instanceof Uint8Array) req.end(body);
      else req.end();
    });
  return Object.assign(fetchTls, {
    close(): void {
      agents?.https.destroy();
      agents?.http.destroy();
      agents = null;
    },
  });
}
