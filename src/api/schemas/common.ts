/** Request-object helpers shared by the resource schemas. */

import type { ApiVersion } from '../../common/api-version.js';
import { HTTPBadRequest } from '../../common/errors.js';
import type { RequestObjectSpec } from '../validation/fields.js';
import { GENERIC_BAD_REQUEST, parseRequest } from '../validation/request-object.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses a create-style body `{"<key>": {...}}`: no body is a generic 400, a body without the
 * key is `Request body missing '<key>' key.`, then the wrapper object is validated.
 */
export function parseWrapped(
  spec: RequestObjectSpec,
  key: string,
  body: unknown,
  version: ApiVersion,
): Record<string, unknown> {
  if (!isObject(body)) throw new HTTPBadRequest(GENERIC_BAD_REQUEST);
  if (!(key in body)) throw new HTTPBadRequest(`Request body missing '${key}' key.`);
  const parsed = parseRequest(spec, body, version);
  return (parsed[key] as Record<string, unknown> | undefined) ?? {};
}

/**
 * Parses an update-style body: the controller checks the wrapper key itself
 * (`Malformed request data, missing '<key>' key in request body.`), then validates
 * `{identity, <key>: {...}}` or the inner object merged with the identity.
 */
export function requireWrapper(key: string, body: unknown): Record<string, unknown> {
  if (!isObject(body) || !(key in body)) {
    throw new HTTPBadRequest(`Malformed request data, missing '${key}' key in request body.`);
  }
  return body;
}
