/**
 * Types of the spec-schema library: how profile and policy types declare their properties and
 * operations, and the JSON shapes the API shows for them.
 */

/** Any value JSON can carry. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** Names of the property kinds, as they appear in the `type` field on the wire. */
export const SchemaType = {
  String: 'String',
  Integer: 'Integer',
  Number: 'Number',
  Boolean: 'Boolean',
  Map: 'Map',
  List: 'List',
} as const;

/** One of the property kinds. */
export type SchemaType = (typeof SchemaType)[keyof typeof SchemaType];

/** Scalar property kinds. */
export type ScalarType = 'String' | 'Integer' | 'Number' | 'Boolean';

/** A value must be one of a fixed list (the only constraint built-in types use). */
export interface AllowedValues {
  readonly type: 'AllowedValues';
  readonly constraint: readonly (string | number)[];
}

/** A constraint on a property or parameter value. */
export type Constraint = AllowedValues;

/** Fields every property schema has. */
interface PropertyBase {
  /** Help text shown by the API; absent for a few nested maps, as upstream shows them. */
  readonly description?: string;
  readonly required: boolean;
  /** Whether a profile update may change the value without replacing the resource. */
  readonly updatable: boolean;
  /** Value used when the key is absent; `undefined` means no default. */
  readonly default?: JsonValue;
  readonly constraints: readonly Constraint[];
}

/** A String, Integer, Number or Boolean property. */
export interface ScalarProperty extends PropertyBase {
  readonly type: ScalarType;
}

/** A Map property; `schema` (when given) declares its keys, otherwise any keys are accepted. */
export interface MapProperty extends PropertyBase {
  readonly type: 'Map';
  readonly schema?: PropertyMap;
}

/** A List property whose items all follow `items`. */
export interface ListProperty extends PropertyBase {
  readonly type: 'List';
  readonly items: PropertySchema;
}

/** The schema of one property. */
export type PropertySchema = ScalarProperty | MapProperty | ListProperty;

/** Property name → schema; key order is declaration order, which is the validation order. */
export type PropertyMap = { readonly [name: string]: PropertySchema };

/** The schema of one operation parameter (profile operations). */
export interface ParamSchema {
  readonly type: 'String' | 'Integer';
  readonly description?: string;
  readonly required: boolean;
  readonly default?: JsonValue;
  readonly constraints: readonly Constraint[];
}

/** An operation a profile type offers on its resources, with its parameters. */
export interface OperationSchema {
  readonly type: 'Operation';
  readonly description: string;
  readonly parameters: { readonly [name: string]: ParamSchema };
}

/**
 * An entry of a profile type's operation table. Almost always an `OperationSchema`; upstream
 * declares the Heat stack `abandon` operation with a bare Map property schema, and the API
 * shows it that way, so a property schema is accepted too.
 */
export type OperationEntry = OperationSchema | PropertySchema;

/** Operation name → entry. */
export type OperationMap = { readonly [name: string]: OperationEntry };

/** Values produced by resolving a spec: every declared key, `null` when absent. */
export type ResolvedProperties = { [name: string]: unknown };

/** A constraint as the API shows it. */
export interface WireConstraint {
  type: 'AllowedValues';
  constraint: (string | number)[];
}

/** A property or parameter schema as the API shows it. */
export interface WireProperty {
  type: SchemaType;
  description?: string;
  default?: JsonValue;
  required: boolean;
  schema?: { [name: string]: WireProperty };
  updatable?: boolean;
  constraints?: WireConstraint[];
}

/** An operation as `GET /v1/profile-types/{name}/ops` shows it. */
export interface WireOperation {
  description: string;
  parameters: { [name: string]: WireProperty };
}
