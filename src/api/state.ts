/** Per-request state the hooks build up and handlers read. */
import type { ApiVersion } from '../common/api-version.js';
import type { RequestContext } from '../common/context.js';

/** What the API knows about a request once its hooks have run. */
export interface RequestState {
  /** Local request id, returned in `x-openstack-request-id`. */
  requestId: string;
  /** Inbound `X-Openstack-Request-Id` when it is a valid request id. */
  globalRequestId: string | null;
  /** Negotiated microversion (1.0 when the client sent none). */
  apiVersion: ApiVersion | null;
  /** Caller's context, once authenticated. */
  ctx: RequestContext | null;
  /** Leave the microversion headers off this response (e.g. the 202 of an action update). */
  noMicroversionHeaders: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    senlin: RequestState;
  }
  interface FastifyContextConfig {
    /** Skip authentication (version documents, webhook triggers). */
    public?: boolean;
  }
}
