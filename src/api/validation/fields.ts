/**
 * Field kinds of request objects and their coercion, with the messages upstream's versioned
 * objects produce. Coercion runs before schema validation (see request-object.ts), so a value
 * can fail here with a coercion message even when the schema would reject it too.
 */
import { isUuidLike } from '../../common/ids.js';
import { pyRepr, pyStr } from '../../common/py-repr.js';
import type { JsonType, Schema } from './json-schema.js';

/** Kinds of request fields. */
export type FieldKind =
  | 'name'
  | 'string'
  | 'nonNegativeInt'
  | 'capacity'
  | 'float'
  | 'boolean'
  | 'json'
  | 'uuid'
  | 'sort'
  | 'enum'
  | 'listOfEnum'
  | 'listOfString'
  | 'identityList'
  | 'nodeReplaceMap'
  | 'object';

/** A field of a request object. */
export interface FieldSpec {
  readonly kind: FieldKind;
  readonly nullable?: boolean;
  /** Present when the field has a default (used for an explicit null on a non-nullable field). */
  readonly default?: unknown;
  /** Capacity bounds; `max` may be computed from configuration. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values of enum and listOfEnum fields. */
  readonly values?: readonly string[];
  /** Allowed keys of sort fields. */
  readonly sortKeys?: readonly string[];
  /** Lowest microversion that knows the field; it is dropped silently below. */
  readonly since?: string;
  /** Nested request object of object fields. */
  readonly body?: RequestObjectSpec;
}

/** A request object: a named set of fields (body, query or path derived). */
export interface RequestObjectSpec {
  readonly name: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

/** A coercion failure that becomes a 400 with exactly this message. */
export class FieldError extends Error {}

/** A value of a type the field cannot take at all (upstream's TypeError → generic 400). */
export class FieldTypeError extends Error {}

const NAME_RE = /^[a-zA-Z\u4e00-\u9fa5\d._~-]*$/;
const TRUE_STRINGS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_STRINGS = ['0', 'f', 'false', 'off', 'n', 'no'];

/** Python's `int()` of a JSON value, or null when it would raise. */
export function pyInt(value: unknown): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value === 'string') {
    const text = value.trim().replace(/_/g, '');
    return /^[+-]?\d+$/.test(text) ? Number.parseInt(text, 10) : null;
  }
  return null;
}

/** Strict boolean parsing of upstream (`bool_from_string(strict=True)`). */
export function parseStrictBool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  const text = pyStr(value).trim().toLowerCase();
  if (TRUE_STRINGS.includes(text)) return true;
  if (FALSE_STRINGS.includes(text)) return false;
  return null;
}

function coerceString(attr: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return pyStr(value);
  const type = Array.isArray(value) ? 'list' : 'dict';
  throw new FieldError(`A string is required in field ${attr}, not a ${type}`);
}

function coerceName(attr: string, value: unknown): string {
  if (typeof value !== 'string') throw new FieldTypeError(`${attr} must be a string`);
  if ([...value].length < 1) {
    throw new FieldError('The value for the name field must be at least 1 characters long.');
  }
  if ([...value].length > 255) {
    throw new FieldError('The value for the name field must be less than 255 characters long.');
  }
  if (!NAME_RE.test(value)) {
    throw new FieldError(
      `The value for the '${attr}' (${value}) contains illegal characters. It must contain only alphanumeric or "_-.~" characters and must start with letter.`,
    );
  }
  return value;
}

function coerceInt(attr: string, value: unknown): number {
  const v = pyInt(value);
  if (v === null)
    throw new FieldError(`The value for ${attr} must be an integer: '${pyStr(value)}'.`);
  return v;
}

function coerceSort(spec: FieldSpec, value: unknown): string {
  const text = coerceString('sort', value);
  for (const item of text.split(',')) {
    const [key, dir, ...rest] = item.split(':');
    if (!key) throw new FieldError("Missing sort key for 'sort'.");
    if (!(spec.sortKeys ?? []).includes(key))
      throw new FieldError(`Unsupported sort key '${key}' for 'sort'.`);
    if (rest.length > 0 || (dir !== undefined && dir !== 'asc' && dir !== 'desc')) {
      throw new FieldError(`Unsupported sort dir '${[dir, ...rest].join(':')}' for 'sort'.`);
    }
  }
  return text;
}

function coerceList(attr: string, spec: FieldSpec, value: unknown): unknown[] {
  // A string is exploded into its characters, as Python's list() does.
  const items = typeof value === 'string' ? [...value] : Array.isArray(value) ? value : null;
  if (items === null)
    throw new FieldError(`A list is required in field ${attr}, not a ${typeof value}`);
  if (spec.kind === 'identityList') {
    const strings = items.map((v) => coerceString(attr, v));
    if (strings.length < 1)
      throw new FieldError(`Value for '${attr}' must have at least 1 item(s).`);
    if (new Set(strings).size !== strings.length)
      throw new FieldError(`Items for '${attr}' must be unique`);
    return strings;
  }
  return items.map((v) => coerceString(attr, v));
}

function coerceReplaceMap(attr: string, value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FieldError(
      `A dict is required in field ${attr}, not a ${Array.isArray(value) ? 'list' : typeof value}`,
    );
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null) throw new FieldError(`Field \`${attr}[${k}]' cannot be None`);
    out[k] = coerceString(`${attr}[${k}]`, v);
  }
  if (new Set(Object.values(out)).size !== Object.keys(out).length) {
    throw new FieldError('Map contains duplicated values');
  }
  return out;
}

/** Coerces one non-null value of a field; throws FieldError / FieldTypeError. */
export function coerceField(attr: string, spec: FieldSpec, value: unknown): unknown {
  switch (spec.kind) {
    case 'name':
      return coerceName(attr, value);
    case 'string':
      return coerceString(attr, value);
    case 'nonNegativeInt': {
      const v = coerceInt(attr, value);
      if (v < 0) throw new FieldError(`Value must be >= 0 for field '${attr}'.`);
      return v;
    }
    case 'capacity': {
      const v = coerceInt(attr, value);
      const min = spec.min ?? 0;
      if (v < min)
        throw new FieldError(
          `The value for the ${attr} field must be greater than or equal to ${min}.`,
        );
      if (spec.max !== undefined && v > spec.max) {
        throw new FieldError(
          `The value for the ${attr} field must be less than or equal to ${spec.max}.`,
        );
      }
      return v;
    }
    case 'float': {
      const v =
        typeof value === 'string'
          ? Number(value.trim())
          : typeof value === 'number'
            ? value
            : Number.NaN;
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (Number.isNaN(v) || (typeof value === 'string' && value.trim() === '')) {
        throw new FieldError(`could not convert string to float: ${pyRepr(value)}`);
      }
      return v;
    }
    case 'boolean': {
      const v = parseStrictBool(value);
      if (v === null) {
        throw new FieldError(
          `Unrecognized value '${pyStr(value)}', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'`,
        );
      }
      return v;
    }
    case 'json': {
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        throw new FieldError(`The value (${value}) is not a valid JSON.`);
      }
    }
    case 'uuid': {
      const text = coerceString(attr, value);
      if (!isUuidLike(text))
        throw new FieldError(`The value for ${attr} is not a valid UUID: '${text}'.`);
      return text;
    }
    case 'sort':
      return coerceSort(spec, value);
    case 'enum': {
      const text = coerceString(attr, value);
      if (!(spec.values ?? []).includes(text))
        throw new FieldError(`Value '${text}' is not acceptable for field '${attr}'.`);
      return text;
    }
    case 'listOfEnum': {
      const items = coerceList(attr, spec, value) as string[];
      const bad = items.find((v) => !(spec.values ?? []).includes(v));
      if (bad !== undefined) throw new FieldError(`Field value ${bad} is invalid`);
      return items;
    }
    case 'listOfString':
    case 'identityList':
      return coerceList(attr, spec, value);
    case 'nodeReplaceMap':
      return coerceReplaceMap(attr, value);
    case 'object':
      return value;
  }
}

function withNull(types: JsonType[], spec: FieldSpec): JsonType[] {
  return spec.nullable ? [...types, 'null'] : types;
}

/** The JSON Schema of a field, as upstream derives it from the field definition. */
export function fieldSchema(
  spec: FieldSpec,
  objectSchema: (o: RequestObjectSpec) => Schema,
): Schema {
  switch (spec.kind) {
    case 'name':
      return { type: withNull(['string'], spec), minLength: 1, maxLength: 255 };
    case 'string':
    case 'sort':
      return { type: withNull(['string'], spec) };
    case 'nonNegativeInt':
      return { type: withNull(['integer', 'string'], spec), minimum: 0 };
    case 'capacity':
      return {
        type: withNull(['integer', 'string'], spec),
        minimum: spec.min ?? 0,
        ...(spec.max !== undefined ? { maximum: spec.max } : {}),
        pattern: '^[0-9]*$',
      };
    case 'float':
      return { type: withNull(['number'], spec) };
    case 'boolean':
      return { type: withNull(['boolean'], spec) };
    case 'json':
      return { type: withNull(['object'], spec) };
    case 'uuid':
      return {
        type: withNull(['string'], spec),
        pattern:
          '^[a-fA-F0-9]{8}-?[a-fA-F0-9]{4}-?[a-fA-F0-9]{4}-?[a-fA-F0-9]{4}-?[a-fA-F0-9]{12}$',
      };
    case 'enum':
      return {
        type: withNull(['string'], spec),
        enum: spec.nullable ? [...(spec.values ?? []), null] : (spec.values ?? []),
      };
    case 'listOfEnum':
      return {
        type: withNull(['array'], spec),
        items: { type: ['string'], enum: spec.values ?? [] },
      };
    case 'listOfString':
      return { type: withNull(['array'], spec), items: { type: ['string'] } };
    case 'identityList':
      return {
        type: withNull(['array'], spec),
        items: { type: ['string'] },
        minItems: 1,
        uniqueItems: true,
      };
    case 'nodeReplaceMap':
      return { type: withNull(['object'], spec), additionalProperties: { type: ['string'] } };
    case 'object':
      return spec.body ? objectSchema(spec.body) : { type: ['object'] };
  }
}
