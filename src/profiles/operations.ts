/** Validation of profile operation requests (node and cluster `ops` calls). */
import { BadRequest, ESchema } from '../common/errors.js';
import { isTruthy, validateOperationParams } from '../common/spec-schema/index.js';
import type { ProfileType } from './types.js';

/**
 * Checks that `type` offers `operation` and that `params` suit it, as the node and cluster
 * operation APIs do: an unknown operation, or invalid parameters when some are given, raise
 * `BadRequest` with upstream's messages. Empty parameters are not checked.
 */
export function validateProfileOperation(
  type: ProfileType,
  operation: string,
  params: unknown,
): void {
  const entry = Object.hasOwn(type.operations, operation) ? type.operations[operation] : undefined;
  if (entry === undefined) {
    throw new BadRequest(
      `The requested operation '${operation}' is not supported by the profile type '${type.typeName}'.`,
    );
  }
  if (!isTruthy(params)) return;
  try {
    validateOperationParams(entry, params);
  } catch (err) {
    if (err instanceof ESchema) throw new BadRequest(err.message);
    throw err;
  }
}
