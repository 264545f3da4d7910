/**
 * Parsing of request objects in upstream's order: coerce each supplied field, validate the
 * primitive against the derived JSON Schema (shallowest error wins), then drop the fields that
 * are newer than the negotiated microversion.
 */
import type { ApiVersion } from '../../common/api-version.js';
import { HTTPBadRequest } from '../../common/errors.js';
import type { FieldSpec, RequestObjectSpec } from './fields.js';
import { coerceField, FieldError, FieldTypeError, fieldSchema } from './fields.js';
import type { Schema } from './json-schema.js';
import { bestSchemaError } from './json-schema.js';

/** The generic text of a 400 raised for a body the server cannot use at all. */
export const GENERIC_BAD_REQUEST =
  'The server could not comply with the request since it is either malformed or otherwise incorrect.';

const schemaCache = new WeakMap<RequestObjectSpec, Schema>();

/** The JSON Schema derived from a request object (required = every non-nullable field). */
export function objectSchema(spec: RequestObjectSpec): Schema {
  const cached = schemaCache.get(spec);
  if (cached) return cached;
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(spec.fields)) {
    properties[name] = fieldSchema(field, objectSchema);
    if (!field.nullable) required.push(name);
  }
  const schema: Schema = { type: ['object'], properties, required, additionalProperties: false };
  schemaCache.set(spec, schema);
  return schema;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function coerceObject(
  spec: RequestObjectSpec,
  data: Record<string, unknown>,
  primitive: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(data)) {
    const field: FieldSpec | undefined = spec.fields[name];
    if (!field) continue; // unknown keys are reported by the schema step
    if (value === null) {
      if (field.nullable) out[name] = null;
      else if ('default' in field) {
        out[name] = field.default;
        primitive[name] = field.default;
      } else throw new FieldError(`Field \`${name}' cannot be None`);
      continue;
    }
    if (field.kind === 'object' && field.body) {
      if (!isObject(value)) {
        out[name] = value;
        continue;
      }
      const nestedPrimitive = { ...value };
      primitive[name] = nestedPrimitive;
      out[name] = coerceObject(field.body, value, nestedPrimitive);
      continue;
    }
    out[name] = coerceField(name, field, value);
  }
  return out;
}

function dropNewer(
  spec: RequestObjectSpec,
  values: Record<string, unknown>,
  version: ApiVersion,
): void {
  for (const [name, field] of Object.entries(spec.fields)) {
    if (!(name in values)) continue;
    if (field.since && !version.atLeast(field.since)) delete values[name];
    else if (field.kind === 'object' && field.body && isObject(values[name])) {
      dropNewer(field.body, values[name] as Record<string, unknown>, version);
    }
  }
}

/**
 * Validates `data` as the request object `spec` and returns the coerced values of the fields
 * that were supplied. Failures are 400 `HTTPBadRequest` with upstream's message.
 */
export function parseRequest(
  spec: RequestObjectSpec,
  data: unknown,
  version: ApiVersion,
): Record<string, unknown> {
  if (!isObject(data)) throw new HTTPBadRequest(GENERIC_BAD_REQUEST);
  const primitive: Record<string, unknown> = { ...data };
  let values: Record<string, unknown>;
  try {
    values = coerceObject(spec, data, primitive);
  } catch (err) {
    if (err instanceof FieldError) throw new HTTPBadRequest(err.message);
    if (err instanceof FieldTypeError) throw new HTTPBadRequest(GENERIC_BAD_REQUEST);
    throw err;
  }
  const error = bestSchemaError(primitive, objectSchema(spec));
  if (error) throw new HTTPBadRequest(error.message);
  dropNewer(spec, values, version);
  return values;
}
