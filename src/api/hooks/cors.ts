/**
 * Cross-origin requests as oslo.middleware's CORS filter answers them, configured by `[cors]`:
 * allowed origins get `Access-Control-Allow-Origin` (and credentials, exposed headers) on
 * their responses, and preflight `OPTIONS` requests are answered directly.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/options.js';

function allowedOrigin(config: Config['cors'], origin: string | undefined): string | null {
  if (!origin) return null;
  const list = config.allowed_origin;
  if (list.includes('*')) return config.allow_credentials ? origin : '*';
  return list.includes(origin) ? origin : null;
}

/**
 * Applies CORS to a request; returns true when the request was a preflight and has been
 * answered.
 */
export function applyCors(
  config: Config['cors'],
  request: FastifyRequest,
  reply: FastifyReply,
): boolean {
  const origin = allowedOrigin(config, request.headers.origin);
  if (!origin) return false;
  const requestedMethod = request.headers['access-control-request-method'];
  if (request.method === 'OPTIONS' && typeof requestedMethod === 'string') {
    const allowedMethods = config.allow_methods.map((m) => m.toUpperCase());
    const requestedHeaders = (request.headers['access-control-request-headers'] ?? '')
      .toString()
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== '');
    const allowedHeaders = new Set(
      [...config.allow_headers, ...config.expose_headers, 'content-type', 'accept'].map((h) =>
        h.toLowerCase(),
      ),
    );
    if (
      !allowedMethods.includes(requestedMethod.toUpperCase()) ||
      requestedHeaders.some((h) => !allowedHeaders.has(h))
    ) {
      return false;
    }
    reply
      .code(200)
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-methods', requestedMethod.toUpperCase())
      .header('vary', 'Origin');
    if (requestedHeaders.length > 0)
      reply.header('access-control-allow-headers', requestedHeaders.join(','));
    if (config.allow_credentials) reply.header('access-control-allow-credentials', 'true');
    if (config.max_age > 0) reply.header('access-control-max-age', String(config.max_age));
    reply.send();
    return true;
  }
  reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
  if (config.allow_credentials) reply.header('access-control-allow-credentials', 'true');
  if (config.expose_headers.length > 0)
    reply.header('access-control-expose-headers', config.expose_headers.join(','));
  return false;
}
