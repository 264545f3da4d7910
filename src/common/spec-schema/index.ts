/**
 * spec-schema: declaring, showing and validating the property schemas of profile and policy
 * types (no I/O). See `resolve.ts` for the validation rules.
 */

export type { MapOptions, ParamOptions, PropertyOptions } from './builders.js';
export {
  allowedValues,
  booleanProp,
  integerParam,
  integerProp,
  listProp,
  mapProp,
  numberProp,
  operation,
  stringParam,
  stringProp,
} from './builders.js';
export {
  isPlainObject,
  isTruthy,
  toBoolean,
  toInteger,
  toList,
  toMap,
  toNumber,
  toText,
} from './coerce.js';
export type { SpecTypeVersion } from './envelope.js';
export { readSpecTypeVersion, specVersionText } from './envelope.js';
export { validateOperationParams } from './operations.js';
export { allowedValuesMessage, checkValue, convertValue, resolve, resolveKey } from './resolve.js';
export type {
  SupportStatusEntry,
  SupportStatusMap,
  SupportStatusName,
} from './support-status.js';
export {
  SupportStatus,
  supportStatusOf,
  supportStatusToWire,
} from './support-status.js';
export type {
  AllowedValues,
  Constraint,
  JsonValue,
  ListProperty,
  MapProperty,
  OperationEntry,
  OperationMap,
  OperationSchema,
  ParamSchema,
  PropertyMap,
  PropertySchema,
  ResolvedProperties,
  ScalarProperty,
  ScalarType,
  WireConstraint,
  WireOperation,
  WireProperty,
} from './types.js';
export { SchemaType } from './types.js';
export { operationsToWire, operationToWire, paramToWire, propertyToWire, toWire } from './wire.js';
