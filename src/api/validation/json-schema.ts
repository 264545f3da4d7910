/**
 * A small JSON Schema (draft 4 subset) validator that reports the error python-jsonschema's
 * `validate()` would raise, with its message text. Request bodies are checked with it after
 * field coercion, so clients get upstream's messages (`'name' is a required property`,
 * `Additional properties are not allowed ('foo' was unexpected)`, ...).
 */
import { pyRepr } from '../../common/py-repr.js';

/** JSON types as JSON Schema names them. */
export type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

/** The supported subset of JSON Schema. */
export interface Schema {
  type?: readonly JsonType[];
  properties?: Readonly<Record<string, Schema>>;
  required?: readonly string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  enum?: readonly unknown[];
}

/** One validation failure: where and what. */
export interface SchemaError {
  path: readonly (string | number)[];
  message: string;
}

function jsonTypeMatches(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function* iterErrors(
  value: unknown,
  schema: Schema,
  path: (string | number)[],
): Generator<SchemaError> {
  // Keyword order follows the schemas upstream generates: type, then the keyword checks.
  if (schema.type && !schema.type.some((t) => jsonTypeMatches(value, t))) {
    yield {
      path,
      message: `${pyRepr(value)} is not of type ${schema.type.map((t) => `'${t}'`).join(', ')}`,
    };
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && [...value].length < schema.minLength) {
      yield { path, message: `${pyRepr(value)} is too short` };
    }
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) {
      yield { path, message: `${pyRepr(value)} is too long` };
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      yield { path, message: `${pyRepr(value)} does not match ${pyRepr(schema.pattern)}` };
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      yield { path, message: `${pyRepr(value)} is less than the minimum of ${schema.minimum}` };
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      yield { path, message: `${pyRepr(value)} is greater than the maximum of ${schema.maximum}` };
    }
  }
  if (schema.enum && !schema.enum.some((e) => deepEqual(e, value))) {
    yield { path, message: `${pyRepr(value)} is not one of ${pyRepr(schema.enum)}` };
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      yield { path, message: `${pyRepr(value)} is too short` };
    }
    if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
      yield { path, message: `${pyRepr(value)} has non-unique elements` };
    }
    if (schema.items) {
      for (let i = 0; i < value.length; i++)
        yield* iterErrors(value[i], schema.items, [...path, i]);
    }
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props = schema.properties ?? {};
    for (const [key, sub] of Object.entries(props)) {
      if (key in obj) yield* iterErrors(obj[key], sub, [...path, key]);
    }
    for (const key of schema.required ?? []) {
      if (!(key in obj)) yield { path, message: `${pyRepr(key)} is a required property` };
    }
    if (schema.additionalProperties === false) {
      const extras = Object.keys(obj).filter((k) => !(k in props));
      if (extras.length > 0) {
        const verb = extras.length === 1 ? 'was' : 'were';
        yield {
          path,
          message: `Additional properties are not allowed (${extras.map((e) => pyRepr(e)).join(', ')} ${verb} unexpected)`,
        };
      }
    } else if (typeof schema.additionalProperties === 'object') {
      for (const [key, v] of Object.entries(obj)) {
        if (!(key in props)) yield* iterErrors(v, schema.additionalProperties, [...path, key]);
      }
    }
  }
}

/** Every error of `value` against `schema`, in the order python-jsonschema finds them. */
export function schemaErrors(value: unknown, schema: Schema): SchemaError[] {
  return [...iterErrors(value, schema, [])];
}

/**
 * The error python-jsonschema's `best_match` picks: the shallowest error, the first one found
 * among equally shallow ones. Returns null when the value is valid.
 */
export function bestSchemaError(value: unknown, schema: Schema): SchemaError | null {
  let best: SchemaError | null = null;
  for (const err of iterErrors(value, schema, [])) {
    if (best === null || err.path.length < best.path.length) best = err;
  }
  return best;
}
