/** Validation of the parameters given to a profile operation (node and cluster `ops` calls). */
import { ESchema } from '../errors.js';
import { pyStr } from '../py-repr.js';
import { isPlainObject, toMap } from './coerce.js';
import { allowedValuesMessage, checkValue } from './resolve.js';
import type { OperationEntry, ParamSchema } from './types.js';

const INTEGER_TEXT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;

function checkParam(param: ParamSchema, value: unknown): void {
  if (param.type === 'String') {
    if (typeof value !== 'string') throw new ESchema('value is not a string');
  } else if (
    !(typeof value === 'number' && Number.isInteger(value)) &&
    !(typeof value === 'string' && INTEGER_TEXT.test(value))
  ) {
    throw new ESchema(`The value '${pyStr(value)}' is not a valid Integer`);
  }
  for (const c of param.constraints) {
    if (!c.constraint.includes(value as string | number)) {
      throw new ESchema(allowedValuesMessage(value, c.constraint));
    }
  }
}

/**
 * Checks operation parameters as upstream does: unknown parameters first
 * (`Unrecognizable parameter '<name>'`), then each declared parameter in order (type,
 * constraints, `Required parameter '<name>' not provided`). An entry declared as a plain
 * property schema only checks the parameters against that schema. Raises `ESchema`.
 */
export function validateOperationParams(entry: OperationEntry, params: unknown): void {
  if (entry.type !== 'Operation') {
    checkValue(entry, params);
    return;
  }
  const data = isPlainObject(params) ? params : toMap(params);
  for (const key of Object.keys(data)) {
    if (!Object.hasOwn(entry.parameters, key)) {
      throw new ESchema(`Unrecognizable parameter '${key}'`);
    }
  }
  for (const [key, param] of Object.entries(entry.parameters)) {
    if (Object.hasOwn(data, key)) checkParam(param, data[key]);
    else if (param.required) throw new ESchema(`Required parameter '${key}' not provided`);
  }
}
