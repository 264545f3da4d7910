/**
 * Turning errors into responses: the Senlin error body for service errors, webob's format for
 * routing-level errors, keystonemiddleware's for 401.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InternalError, RequestLimitExceeded, SenlinError, WebobError } from '../common/errors.js';
import { Unauthorized } from './auth-types.js';
import { statusText, webobBody } from './webob.js';

/** An error that carries its own HTTP status and a Senlin-format message (e.g. 503 from auth). */
interface StatusError extends Error {
  status: number;
  type?: string;
}

function isStatusError(err: unknown): err is StatusError {
  return err instanceof Error && typeof (err as Partial<StatusError>).status === 'number';
}

/** The Senlin error body for a status, message and exception name. */
export function senlinErrorBody(
  status: number,
  message: string,
  type: string,
): Record<string, unknown> {
  const { title, explanation } = statusText(status);
  return { code: status, title, explanation, error: { code: status, message, type } };
}

function sendSenlin(
  reply: FastifyReply,
  status: number,
  message: string,
  type: string,
): FastifyReply {
  return reply
    .code(status)
    .type('application/json')
    .send(senlinErrorBody(status, message, type));
}

/** Sends a webob-format error. */
export function sendWebob(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  detail = '',
): FastifyReply {
  const { contentType, body } = webobBody(status, detail, request.headers.accept);
  return reply.code(status).type(contentType).send(body);
}

function fastifyError(err: FastifyError, request: FastifyRequest): SenlinError | null {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const size = request.headers['content-length'] ?? '?';
    const limit = (err as FastifyError & { limit?: number }).limit;
    return new RequestLimitExceeded(
      `JSON body size (${size} bytes) exceeds maximum allowed size (${limit ?? request.routeOptions.bodyLimit ?? '?'} bytes).`,
    );
  }
  return null;
}

/** The fastify error handler of the API. */
export function handleError(
  err: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (err instanceof SenlinError) return sendSenlin(reply, err.status, err.message, err.type);
  if (err instanceof WebobError) return sendWebob(request, reply, err.status, err.detail);
  if (err instanceof Unauthorized) {
    return reply
      .code(401)
      .header('www-authenticate', err.wwwAuthenticate)
      .type('application/json')
      .send({ error: { code: 401, title: 'Unauthorized', message: err.message } });
  }
  const fe = err as FastifyError;
  if (typeof fe?.code === 'string' && fe.code.startsWith('FST_')) {
    const mapped = fastifyError(fe, request);
    if (mapped) return sendSenlin(reply, mapped.status, mapped.message, mapped.type);
    const status = typeof fe.statusCode === 'number' && fe.statusCode < 500 ? 400 : 500;
    return sendSenlin(
      reply,
      status,
      statusText(status).explanation,
      status === 400 ? 'HTTPBadRequest' : 'InternalError',
    );
  }
  if (isStatusError(err) && err.status >= 400 && err.status < 600) {
    return sendSenlin(reply, err.status, err.message, err.type ?? err.name);
  }
  request.log.error({ err }, 'unexpected error');
  const internal = new InternalError('An unexpected error occurred while processing the request.');
  return sendSenlin(reply, 500, internal.message, internal.type);
}
