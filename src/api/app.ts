/**
 * The API server: a fastify app built without listening (tests drive it with inject()).
 * Pipeline per request: request id → microversion negotiation → authentication → trust →
 * route (body parsing, microversion gate, policy rule, handler) → microversion headers.
 */

import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import Fastify from 'fastify';
import { RequestContext } from '../common/context.js';
import { newRequestId } from '../common/ids.js';
import type { Conductor } from '../conductor/index.js';
import type { Config } from '../config/options.js';
import type { TrustBroker } from './auth/trust-broker.js';
import type { Authenticator, Identity } from './auth-types.js';
import { handleError, sendWebob } from './errors.js';
import { applyCors } from './hooks/cors.js';
import { negotiateVersion, SERVICE_TYPE } from './hooks/microversion.js';
import { requesterTrust, webhookIdentity } from './hooks/trust.js';
import type { PolicyEnforcer } from './policy/index.js';
import { registerRoutes } from './route.js';
import { v1Routes } from './routes/v1/index.js';
import type { RequestState } from './state.js';
import { versionEntry } from './versions.js';
import { webobFormat } from './webob.js';

/** What the API server reports for monitoring. */
export interface ApiMetrics {
  /** A request ended: its method, route pattern (`unmatched` for 404s), status and duration. */
  requestFinished(method: string, route: string, status: number, seconds: number): void;
}

/** What the API server needs. */
export interface ApiDeps {
  readonly config: Config;
  readonly authenticator: Authenticator;
  readonly enforcer: PolicyEnforcer;
  readonly conductor: Conductor;
  /** The trust middleware (auth_strategy = keystone); without it ctx.trusts is the token's. */
  readonly trusts?: TrustBroker | null;
  readonly logger?: FastifyBaseLogger;
  /** Monitoring observations of every request (none: nothing is recorded). */
  readonly metrics?: ApiMetrics;
  /** TLS key material (`[senlin_api] cert_file` / `key_file`); plain HTTP without it. */
  readonly https?: { readonly cert: Buffer; readonly key: Buffer };
}

const UNKNOWN_VERSION_PATH = '/__unknown_version__';
const GLOBAL_REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const VERSION_SEGMENT = /^v([1-9]\d*)\.?([1-9]\d*|0)?$/;

/** Maps the request path onto the v1 routes (`/v1.0/…`, media-type versioning) or the fallback. */
export function rewritePath(url: string, accept: string | undefined): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q);
  const [, first = '', ...rest] = path.split('/');
  if (first === '' || first === 'versions' || first === 'v1') return url;
  const m = VERSION_SEGMENT.exec(first);
  if (m) {
    return m[1] === '1' && (m[2] === undefined || m[2] === '0')
      ? `/v1${rest.length ? `/${rest.join('/')}` : ''}${query}`
      : UNKNOWN_VERSION_PATH;
  }
  if (accept?.includes('application/vnd.openstack.clustering-v1')) return `/v1${path}${query}`;
  return UNKNOWN_VERSION_PATH;
}

function isV1Resource(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return path.startsWith('/v1/');
}

function applicationUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

function buildContext(
  deps: ApiDeps,
  request: FastifyRequest,
  identity: Identity,
  trusts: string | null,
): RequestContext {
  const header = (name: string): string | null => {
    const v = request.headers[name];
    return typeof v === 'string' && v !== '' ? v : null;
  };
  return new RequestContext({
    ...identity,
    domainId: identity.domainId ?? identity.userDomainId,
    isAdmin: deps.enforcer.isAdmin({ roles: identity.roles }),
    requestId: request.senlin.requestId,
    globalRequestId: request.senlin.globalRequestId,
    apiVersion: request.senlin.apiVersion ?? undefined,
    regionName: header('x-region-name'),
    authUrl: header('x-auth-url') ?? (deps.config.authentication.auth_url || null),
    trusts,
  });
}

/** Builds the API server. */
export async function buildApp(deps: ApiDeps): Promise<FastifyInstance> {
  const api = deps.config.senlin_api;
  const app = Fastify({
    // Our own server so that [senlin_api] max_header_line, tcp_keepidle and TLS apply.
    serverFactory: (handler) => {
      const options = { maxHeaderSize: api.max_header_line };
      const server = deps.https
        ? createHttpsServer({ ...options, cert: deps.https.cert, key: deps.https.key }, handler)
        : createHttpServer(options, handler);
      server.on('connection', (socket) => socket.setKeepAlive(true, api.tcp_keepidle * 1000));
      return server;
    },
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: api.max_json_body_size,
    trustProxy: deps.config.oslo_middleware.enable_proxy_headers_parsing,
    genReqId: () => newRequestId(),
    requestIdHeader: false,
    routerOptions: { maxParamLength: 1024 },
    rewriteUrl: (req) => rewritePath(req.url ?? '/', req.headers.accept),
    connectionTimeout: api.client_socket_timeout * 1000,
  }) as unknown as FastifyInstance;

  app.decorateRequest('senlin', null as unknown as RequestState);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    const inbound = request.headers['x-openstack-request-id'];
    request.senlin = {
      requestId: request.id,
      globalRequestId:
        typeof inbound === 'string' && GLOBAL_REQUEST_ID.test(inbound) ? inbound : null,
      apiVersion: null,
      ctx: null,
      noMicroversionHeaders: false,
    };
    reply.header('x-openstack-request-id', request.id);
    if (!api.wsgi_keep_alive) reply.header('connection', 'close');
    if (applyCors(deps.config.cors, request, reply)) return reply;
    if (!isV1Resource(request)) return;
    request.senlin.apiVersion = negotiateVersion(request.headers['openstack-api-version']);
    const broker = deps.trusts ?? null;
    if (request.routeOptions.config?.public) {
      const acting = broker && (await webhookIdentity(broker, deps.conductor.credentials, request));
      if (acting) request.senlin.ctx = buildContext(deps, request, acting, acting.trustId);
      return;
    }
    const identity = await deps.authenticator.authenticate({ headers: request.headers });
    const trusts = broker
      ? await requesterTrust(broker, deps.authenticator, identity)
      : identity.trustId;
    request.senlin.ctx = buildContext(deps, request, identity, trusts);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const state = request.senlin;
    const status = reply.statusCode;
    if (
      state?.apiVersion &&
      isV1Resource(request) &&
      status < 300 &&
      status !== 204 &&
      !state.noMicroversionHeaders
    ) {
      reply.header('openstack-api-version', `${SERVICE_TYPE} ${state.apiVersion.toString()}`);
      reply.header('vary', 'OpenStack-API-Version');
    }
    return payload;
  });

  const metrics = deps.metrics;
  if (metrics) {
    app.addHook('onResponse', async (request, reply) => {
      metrics.requestFinished(
        request.method,
        request.routeOptions.url ?? 'unmatched',
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
    });
  }

  app.setErrorHandler((err, request, reply) => handleError(err, request, reply));
  app.setNotFoundHandler((request, reply) => sendWebob(request, reply, 404));

  const versionsDocument = (request: FastifyRequest): Record<string, unknown> => ({
    versions: [versionEntry(applicationUrl(request))],
  });
  app.get('/', { config: { public: true } }, async (request, reply) =>
    reply.code(300).send(versionsDocument(request)),
  );
  app.get('/versions', { config: { public: true } }, async (request, reply) =>
    reply.code(300).send(versionsDocument(request)),
  );
  app.get('/v1', { config: { public: true } }, async (request) => ({
    version: versionEntry(applicationUrl(request)),
  }));
  app.all(UNKNOWN_VERSION_PATH, { config: { public: true } }, async (request, reply) => {
    const accept = request.headers.accept;
    if (!accept || accept.trim() === '*/*' || webobFormat(accept) === 'plain') {
      return reply.code(300).send(versionsDocument(request));
    }
    return sendWebob(request, reply, 404);
  });

  registerRoutes(app, deps.enforcer, v1Routes(deps.conductor));
  return app;
}
