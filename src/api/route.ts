/**
 * Declaring API routes: each route names its oslo.policy rule and the lowest microversion it
 * serves; the wrapper parses the body, checks the microversion, enforces the rule and turns
 * the handler's result into the response.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiVersion } from '../common/api-version.js';
import { RequestContext } from '../common/context.js';
import { Forbidden, InternalError, MethodVersionNotFound } from '../common/errors.js';
import { parseJsonBody } from './hooks/body.js';
import type { QueryParams } from './listing.js';
import type { PolicyEnforcer } from './policy/index.js';

/** What a handler gets. */
export interface ApiCall {
  readonly ctx: RequestContext;
  readonly version: ApiVersion;
  readonly params: Readonly<Record<string, string>>;
  readonly query: QueryParams;
  /** The parsed JSON body, or undefined when there is none (see hooks/body.ts). */
  readonly body: unknown;
  readonly request: FastifyRequest;
}

/** What a handler returns. */
export interface ApiResult {
  readonly status: number;
  /** JSON body; undefined sends an empty body. */
  readonly body?: unknown;
  /** Path (e.g. `/v1/actions/<id>`) made absolute against the host root. */
  readonly location?: string;
  /** Send the microversion headers (default true on success). */
  readonly microversionHeaders?: boolean;
}

/** A route of the v1 API. */
export interface RouteDef {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  readonly url: string;
  /** Policy rule checked for the caller; null for none. */
  readonly rule: string | null;
  /** Lowest microversion that serves the route. */
  readonly minVersion?: string;
  /**
   * Served without authentication (fastify `config.public`); the handler gets a context with
   * no identity and must establish who acts itself (webhook triggers).
   */
  readonly public?: boolean;
  readonly handler: (call: ApiCall) => Promise<ApiResult>;
}

/** Absolute URL of a path on the host root of the request (the deployment prefix is lost, as upstream). */
export function absoluteUrl(request: FastifyRequest, path: string): string {
  return `${request.protocol}://${request.host}${path}`;
}

function send(request: FastifyRequest, reply: FastifyReply, result: ApiResult): FastifyReply {
  reply.code(result.status);
  if (result.location) reply.header('location', absoluteUrl(request, result.location));
  if (result.microversionHeaders === false) request.senlin.noMicroversionHeaders = true;
  if (result.body === undefined) return reply.send();
  return reply.type('application/json').send(JSON.stringify(result.body));
}

/** Registers routes on the app, wrapped with body parsing, version gates and policy checks. */
export function registerRoutes(
  app: FastifyInstance,
  enforcer: PolicyEnforcer,
  routes: readonly RouteDef[],
): void {
  for (const def of routes) {
    app.route({
      method: def.method,
      url: def.url,
      ...(def.public ? { config: { public: true } } : {}),
      handler: async (request, reply) => {
        const state = request.senlin;
        const version = state.apiVersion;
        const ctx =
          state.ctx ??
          (def.public && version
            ? new RequestContext({ requestId: state.requestId, apiVersion: version })
            : null);
        if (!ctx || !version)
          throw new InternalError('request reached a handler without a context');
        const body = parseJsonBody(
          request.headers['content-type'],
          request.body as string | undefined,
        );
        if (def.minVersion && !version.atLeast(def.minVersion))
          throw new MethodVersionNotFound(version.toString());
        if (def.rule !== null && !enforcer.enforce(def.rule, ctx)) throw new Forbidden();
        const result = await def.handler({
          ctx,
          version,
          params: request.params as Record<string, string>,
          query: request.query as QueryParams,
          body,
          request,
        });
        return send(request, reply, result);
      },
    });
  }
}
