/**
 * Builders for declaring property, parameter and operation schemas in TypeScript. Every
 * builder returns a frozen object; options left out take upstream's defaults (not required,
 * not updatable, no default, no constraints).
 */
import type {
  AllowedValues,
  Constraint,
  JsonValue,
  ListProperty,
  MapProperty,
  OperationSchema,
  ParamSchema,
  PropertyMap,
  PropertySchema,
  ScalarProperty,
  ScalarType,
} from './types.js';

/** Options shared by all property builders. */
export interface PropertyOptions {
  readonly description?: string;
  readonly required?: boolean;
  readonly updatable?: boolean;
  readonly default?: JsonValue;
  readonly constraints?: readonly Constraint[];
}

/** Options of a Map property. */
export interface MapOptions extends PropertyOptions {
  readonly schema?: PropertyMap;
}

/** Options of an operation parameter. */
export interface ParamOptions {
  readonly description?: string;
  readonly required?: boolean;
  readonly default?: JsonValue;
  readonly constraints?: readonly Constraint[];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function base(opts: PropertyOptions) {
  return {
    ...(opts.description !== undefined ? { description: opts.description } : {}),
    required: opts.required ?? false,
    updatable: opts.updatable ?? false,
    ...(opts.default !== undefined ? { default: structuredClone(opts.default) } : {}),
    constraints: [...(opts.constraints ?? [])],
  };
}

function scalar(type: ScalarType, opts: PropertyOptions): ScalarProperty {
  return deepFreeze({ type, ...base(opts) });
}

/** A String property. */
export function stringProp(opts: PropertyOptions = {}): ScalarProperty {
  return scalar('String', opts);
}

/** An Integer property. */
export function integerProp(opts: PropertyOptions = {}): ScalarProperty {
  return scalar('Integer', opts);
}

/** A Number (integer or floating point) property. */
export function numberProp(opts: PropertyOptions = {}): ScalarProperty {
  return scalar('Number', opts);
}

/** A Boolean property. */
export function booleanProp(opts: PropertyOptions = {}): ScalarProperty {
  return scalar('Boolean', opts);
}

/** A Map property, with declared keys when `schema` is given. */
export function mapProp(opts: MapOptions = {}): MapProperty {
  const { schema, ...rest } = opts;
  return deepFreeze({ type: 'Map', ...base(rest), ...(schema ? { schema } : {}) });
}

/** A List property whose items follow `items`. */
export function listProp(items: PropertySchema, opts: PropertyOptions = {}): ListProperty {
  return deepFreeze({ type: 'List', ...base(opts), items });
}

/** An AllowedValues constraint. */
export function allowedValues(values: readonly (string | number)[]): AllowedValues {
  return deepFreeze({ type: 'AllowedValues', constraint: [...values] });
}

function param(type: ParamSchema['type'], opts: ParamOptions): ParamSchema {
  return deepFreeze({
    type,
    ...(opts.description !== undefined ? { description: opts.description } : {}),
    required: opts.required ?? false,
    ...(opts.default !== undefined ? { default: structuredClone(opts.default) } : {}),
    constraints: [...(opts.constraints ?? [])],
  });
}

/** A String operation parameter. */
export function stringParam(opts: ParamOptions = {}): ParamSchema {
  return param('String', opts);
}

/** An Integer operation parameter. */
export function integerParam(opts: ParamOptions = {}): ParamSchema {
  return param('Integer', opts);
}

/** An operation with its parameters. */
export function operation(
  description: string,
  parameters: { readonly [name: string]: ParamSchema } = {},
): OperationSchema {
  return deepFreeze({ type: 'Operation', description, parameters: { ...parameters } });
}
