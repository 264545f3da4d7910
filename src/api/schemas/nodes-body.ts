/**
 * Body shapes that upstream's node, action and receiver controllers check by hand, before
 * any request object is validated.
 */
import { HTTPBadRequest } from '../../common/errors.js';
import { GENERIC_BAD_REQUEST } from '../validation/request-object.js';

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The inner object of an update-style body `{"<key>": {...}}`: no body at all is the generic
 * 400 (upstream's handler cannot be called), a missing or null key is
 * `Malformed request data, missing '<key>' key in request body.`, and an inner value that is
 * not an object is the generic 400 again (upstream fails to add the identity to it).
 */
export function updateBody(key: string, body: unknown): Record<string, unknown> {
  if (!isJsonObject(body)) throw new HTTPBadRequest(GENERIC_BAD_REQUEST);
  const inner = body[key];
  if (inner === undefined || inner === null) {
    throw new HTTPBadRequest(`Malformed request data, missing '${key}' key in request body.`);
  }
  if (!isJsonObject(inner)) throw new HTTPBadRequest(GENERIC_BAD_REQUEST);
  return inner;
}

/**
 * The one key of a body naming an action or operation, with its value. No body counts as an
 * empty one; `none` and `many` are the messages for zero and several keys.
 */
export function singleKey(
  body: unknown,
  messages: { none: string; many: string },
): { key: string; value: unknown } {
  const object = isJsonObject(body) ? body : {};
  const keys = Object.keys(object);
  const [key] = keys;
  if (key === undefined) throw new HTTPBadRequest(messages.none);
  if (keys.length > 1) throw new HTTPBadRequest(messages.many);
  return { key, value: object[key] };
}
