import { describe, expect, it } from 'vitest';
import { ESchema } from '../../src/common/errors.js';
import {
  allowedValues,
  integerParam,
  mapProp,
  operation,
  stringParam,
  validateOperationParams,
} from '../../src/common/spec-schema/index.js';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ESchema) return err.message;
    throw err;
  }
  throw new Error('expected an ESchema error');
}

const reboot = operation('Reboot.', {
  type: stringParam({ default: 'SOFT', constraints: [allowedValues(['SOFT', 'HARD'])] }),
});

describe('validateOperationParams', () => {
  it('accepts declared parameters with allowed values', () => {
    expect(() => validateOperationParams(reboot, { type: 'HARD' })).not.toThrow();
  });

  it('rejects a value outside the allowed ones with the upstream message', () => {
    expect(messageOf(() => validateOperationParams(reboot, { type: 'Unknown' }))).toBe(
      "'Unknown' must be one of the allowed values: SOFT, HARD",
    );
  });

  it('rejects unknown parameters before checking declared ones', () => {
    expect(messageOf(() => validateOperationParams(reboot, { type: 'Unknown', bogus: 1 }))).toBe(
      "Unrecognizable parameter 'bogus'",
    );
  });

  it('rejects a missing required parameter', () => {
    const op = operation('Needs one.', { target: stringParam({ required: true }) });
    expect(messageOf(() => validateOperationParams(op, {}))).toBe(
      "Required parameter 'target' not provided",
    );
  });

  it('rejects a non-string value of a string parameter with the upstream message', () => {
    expect(messageOf(() => validateOperationParams(reboot, { type: 1 }))).toBe(
      'value is not a string',
    );
  });

  it('accepts integers and integer strings for integer parameters', () => {
    const op = operation('Wait.', { wait_time: integerParam() });
    expect(() => validateOperationParams(op, { wait_time: 5 })).not.toThrow();
    expect(() => validateOperationParams(op, { wait_time: ' 5 ' })).not.toThrow();
  });

  it('rejects other values of integer parameters', () => {
    const op = operation('Wait.', { wait_time: integerParam() });
    expect(messageOf(() => validateOperationParams(op, { wait_time: 'soon' }))).toBe(
      "The value 'soon' is not a valid Integer",
    );
  });

  it('accepts any parameters for an operation declared as a bare map', () => {
    expect(() => validateOperationParams(mapProp(), { anything: [1, 2] })).not.toThrow();
  });

  it('rejects parameters that are not a map', () => {
    expect(messageOf(() => validateOperationParams(reboot, [1]))).toBe("'[1]' is not a Map");
  });
});
