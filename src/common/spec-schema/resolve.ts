/**
 * Validation and resolution of spec data against a property schema.
 *
 * The order of checks follows upstream, because the first error found is the one reported:
 * the keys of a schema are resolved in declaration order, each one first checked (its value,
 * then recursively the non-empty values inside it) and then converted (which also reports
 * missing required keys and unknown keys of nested maps); unknown keys of a map are reported
 * only after all its declared keys resolved.
 */
import { ESchema } from '../errors.js';
import { pyStr } from '../py-repr.js';
import { isTruthy, toBoolean, toInteger, toList, toMap, toNumber, toText } from './coerce.js';
import type { Constraint, PropertyMap, PropertySchema, ResolvedProperties } from './types.js';

function convertScalar(prop: PropertySchema, value: unknown): unknown {
  switch (prop.type) {
    case 'Boolean':
      return toBoolean(value);
    case 'Integer':
      return toInteger(value);
    case 'Number':
      return toNumber(value);
    case 'String':
      return value === null || value === undefined ? null : toText(value);
    default:
      return value;
  }
}

/** The error message of a failed AllowedValues constraint. */
export function allowedValuesMessage(
  value: unknown,
  allowed: readonly (string | number)[],
): string {
  return `'${pyStr(value)}' must be one of the allowed values: ${allowed.map(pyStr).join(', ')}`;
}

function checkConstraints(prop: PropertySchema, value: unknown): void {
  for (const c of prop.constraints as readonly Constraint[]) {
    const converted = convertScalar(prop, value);
    const allowed = c.constraint.map((v) => convertScalar(prop, v));
    if (!allowed.includes(converted)) {
      throw new ESchema(allowedValuesMessage(value, c.constraint));
    }
  }
}

/**
 * Checks a value against a property schema without converting it: its kind, its constraints
 * and, for maps and lists, every item and every non-empty declared key inside.
 */
export function checkValue(prop: PropertySchema, value: unknown): void {
  switch (prop.type) {
    case 'Boolean':
      if (typeof value !== 'boolean') toBoolean(value);
      return;
    case 'Integer':
      checkConstraints(prop, toInteger(value));
      return;
    case 'Number':
      checkConstraints(prop, toNumber(value));
      return;
    case 'String':
      if (value === null || value === undefined) {
        throw new ESchema(`The value '${pyStr(value)}' is not a valid string.`);
      }
      checkConstraints(prop, value);
      return;
    case 'List':
      for (const item of toList(value)) checkValue(prop.items, item);
      return;
    case 'Map': {
      const map = toMap(value);
      if (!prop.schema) return;
      for (const [key, child] of Object.entries(prop.schema)) {
        const item = Object.hasOwn(map, key) ? map[key] : undefined;
        if (isTruthy(item)) checkValue(child, item);
      }
      return;
    }
  }
}

/** Converts a value already checked by `checkValue` to its resolved form. */
export function convertValue(prop: PropertySchema, value: unknown): unknown {
  switch (prop.type) {
    case 'List':
      return toList(value).map((item) => convertValue(prop.items, item));
    case 'Map': {
      const map = toMap(value);
      return prop.schema ? resolve(prop.schema, map) : { ...map };
    }
    default:
      return convertScalar(prop, value);
  }
}

function defaultOf(prop: PropertySchema): unknown {
  // Upstream hands out a Map's default as declared, without filling in nested defaults.
  if (prop.type === 'Map') return structuredClone(prop.default);
  return convertValue(prop, prop.default);
}

/**
 * Resolves one declared key of `data`: the checked and converted value when present, else the
 * default, else `null`; a missing required key raises `ESchema`. A key holding `undefined`
 * (which JSON cannot carry) counts as absent.
 */
export function resolveKey(
  schema: PropertyMap,
  data: Readonly<Record<string, unknown>>,
  key: string,
): unknown {
  const prop = Object.hasOwn(schema, key) ? schema[key] : undefined;
  if (prop === undefined) throw new ESchema(`Invalid spec item: ${key}`);
  const raw = Object.hasOwn(data, key) ? data[key] : undefined;
  if (raw !== undefined) {
    checkValue(prop, raw);
    return convertValue(prop, raw);
  }
  if (prop.default !== undefined) return defaultOf(prop);
  if (prop.required) throw new ESchema(`Required spec item '${key}' not provided`);
  return null;
}

/**
 * Validates `data` (an object, or a string holding a JSON object) against `schema` and returns
 * every declared key resolved (absent keys without default are `null`). Raises `ESchema` with
 * upstream's message at the first problem; unknown keys are reported as
 * `Unrecognizable spec item '<key>'` after the declared keys are resolved.
 */
export function resolve(schema: PropertyMap, data: unknown): ResolvedProperties {
  const map = toMap(data);
  const out: ResolvedProperties = {};
  for (const key of Object.keys(schema)) {
    out[key] = resolveKey(schema, map, key);
  }
  for (const key of Object.keys(map)) {
    if (!Object.hasOwn(schema, key)) throw new ESchema(`Unrecognizable spec item '${key}'`);
  }
  return out;
}
