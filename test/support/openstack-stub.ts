/**
 * A small programmable HTTP peer on 127.0.0.1 standing in for Keystone and the OpenStack
 * services in unit tests of the REST drivers: routes answer what a test tells them, every
 * request is recorded, and a route may reset the connection or never answer.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stub received. */
export interface StubRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
}

/** What a route answers. */
export interface StubReply {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body. */
  body?: unknown;
  /** Body sent as it is (wins over `body`). */
  raw?: string;
  /** Reset the connection instead of answering. */
  destroy?: boolean;
  /** Never answer. */
  hang?: boolean;
}

type Handler = (req: StubRequest) => StubReply | Promise<StubReply>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

/** Options of the Keystone routes. */
export interface KeystoneStubOptions {
  /** Milliseconds tokens live (default one hour). */
  expiresInMs?: number;
  userId?: string;
  projectId?: string;
}

/** The project the stub's catalog URLs carry. */
export const STUB_PROJECT = 'p-1';

/** The stub server. */
export class OpenStackStub {
  readonly requests: StubRequest[] = [];
  private routes: Route[] = [];
  private tokenCount = 0;
  private readonly server: Server;
  url = '';

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
        let body: unknown = null;
        try {
          body = raw ? JSON.parse(raw) : null;
        } catch {
          body = raw;
        }
        const request: StubRequest = {
          method: req.method ?? 'GET',
          path: parsed.pathname,
          query: parsed.searchParams,
          headers: req.headers,
          raw,
          body,
        };
        this.requests.push(request);
        void this.answer(request, res);
      });
    });
  }

  /** Starts a stub on a free port of 127.0.0.1. */
  static async start(): Promise<OpenStackStub> {
    const stub = new OpenStackStub();
    await new Promise<void>((resolve) => stub.server.listen(0, '127.0.0.1', resolve));
    stub.url = `http://127.0.0.1:${(stub.server.address() as AddressInfo).port}`;
    return stub;
  }

  /** Adds a route (later routes win over earlier ones for the same request). */
  on(method: string, path: string | RegExp, handler: Handler | StubReply): this {
    const pattern = typeof path === 'string' ? new RegExp(`^${escapeRegExp(path)}$`) : path;
    const fn: Handler = typeof handler === 'function' ? handler : () => handler;
    this.routes.unshift({ method, pattern, handler: fn });
    return this;
  }

  /** Requests to paths matching `pattern` (and `method` when given). */
  calls(pattern: string | RegExp, method?: string): StubRequest[] {
    const re = typeof pattern === 'string' ? new RegExp(`^${escapeRegExp(pattern)}$`) : pattern;
    return this.requests.filter((r) => re.test(r.path) && (!method || r.method === method));
  }

  /** The catalog the Keystone routes hand out. */
  catalog(): unknown[] {
    const u = this.url;
    const ep = (url: string, iface = 'public', region = 'RegionOne') => ({
      url,
      interface: iface,
      region,
      region_id: region,
    });
    return [
      { type: 'identity', endpoints: [ep(`${u}/identity/v3`)] },
      {
        type: 'compute',
        endpoints: [
          ep(`${u}/compute/v2.1`),
          ep(`${u}/compute-internal/v2.1`, 'internal'),
          ep(`${u}/compute-two/v2.1`, 'public', 'RegionTwo'),
        ],
      },
      { type: 'network', endpoints: [ep(`${u}/network`)] },
      { type: 'image', endpoints: [ep(`${u}/image`)] },
      { type: 'volumev3', endpoints: [ep(`${u}/volume/v3/${STUB_PROJECT}`)] },
    ];
  }

  /** Adds `POST /identity/v3/auth/tokens` answering fresh tokens `tok-1`, `tok-2`, … */
  keystone(options: KeystoneStubOptions = {}): this {
    return this.on('POST', '/identity/v3/auth/tokens', (req) => {
      this.tokenCount += 1;
      const expires = new Date(Date.now() + (options.expiresInMs ?? 3_600_000));
      const trust = req.body?.auth?.scope?.['OS-TRUST:trust'];
      return {
        status: 201,
        headers: { 'X-Subject-Token': `tok-${this.tokenCount}` },
        body: {
          token: {
            user: { id: options.userId ?? 'u-senlin' },
            project: { id: options.projectId ?? STUB_PROJECT },
            ...(trust ? { 'OS-TRUST:trust': { id: trust.id } } : {}),
            expires_at: expires.toISOString(),
            catalog: this.catalog(),
          },
        },
      };
    });
  }

  /** Tokens issued so far. */
  get tokensIssued(): number {
    return this.tokenCount;
  }

  private async answer(request: StubRequest, res: ServerResponse): Promise<void> {
    const route = this.routes.find(
      (r) => r.method === request.method && r.pattern.test(request.path),
    );
    if (!route) {
      reply(res, { status: 404, body: { itemNotFound: { code: 404, message: 'No such route.' } } });
      return;
    }
    let out: StubReply;
    try {
      out = await route.handler(request);
    } catch (error) {
      out = { status: 500, body: { error: { message: String(error) } } };
    }
    if (out.hang) return;
    if (out.destroy) {
      res.socket?.destroy();
      return;
    }
    reply(res, out);
  }

  /** Stops the server (and drops open connections). */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function reply(res: ServerResponse, out: StubReply): void {
  const raw = out.raw ?? (out.body === undefined ? '' : JSON.stringify(out.body));
  const headers: Record<string, string> = { ...(out.headers ?? {}) };
  if (out.raw === undefined && out.body !== undefined) headers['Content-Type'] = 'application/json';
  res.writeHead(out.status ?? 200, headers);
  res.end(raw);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
