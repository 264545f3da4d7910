/**
 * Error classes. Each carries the HTTP status it maps to and the exception name that appears
 * as `error.type` in the OpenStack error body, so that clients see what upstream Senlin shows.
 */

/** Base of every error that is reported to API clients in the Senlin error format. */
export class SenlinError extends Error {
  /** HTTP status code this error maps to. */
  readonly status: number;
  /** Exception class name reported as `error.type`. */
  readonly type: string;

  constructor(message: string, status: number, type: string) {
    super(message);
    this.status = status;
    this.type = type;
    this.name = type;
  }
}

/** Ends a message with exactly one period, as upstream's BadRequest does. */
export function withPeriod(message: string): string {
  return `${message.replace(/\.+$/, '')}.`;
}

/** 400 with a free-form message that always ends in one period. */
export class BadRequest extends SenlinError {
  constructor(message: string) {
    super(withPeriod(message), 400, 'BadRequest');
  }
}

/** 400: a query parameter has a value that is not allowed (e.g. a non-boolean flag). */
export class InvalidParameter extends SenlinError {
  constructor(name: string, value: string) {
    super(`Invalid value '${value}' specified for '${name}'`, 400, 'InvalidParameter');
  }
}

/** 400 raised by the API layer itself (webob's HTTPBadRequest, reported in Senlin format). */
export class HTTPBadRequest extends SenlinError {
  constructor(message: string) {
    super(message, 400, 'HTTPBadRequest');
  }
}

/** 403 raised by the API layer itself. */
export class HTTPForbidden extends SenlinError {
  constructor(message = 'You are not authorized to complete this operation.') {
    super(message, 403, 'HTTPForbidden');
  }
}

/** 404 raised by the API layer itself. */
export class HTTPNotFound extends SenlinError {
  constructor(message = 'The resource could not be found.') {
    super(message, 404, 'HTTPNotFound');
  }
}

/** 400: a profile or policy spec failed validation. */
export class InvalidSpec extends SenlinError {
  constructor(message: string) {
    super(message, 400, 'InvalidSpec');
  }
}

/**
 * A spec does not match its type's schema. Upstream reports these as 500 for policies; we
 * report them as 400 (see docs/compatibility.md). Conductors convert it to InvalidSpec.
 */
export class ESchema extends SenlinError {
  constructor(message: string) {
    super(message, 400, 'ESchema');
  }
}

/** 400: a name or short id matched more than one object. */
export class MultipleChoices extends SenlinError {
  constructor(arg: string) {
    super(
      `Multiple results found matching the query criteria '${arg}'. Please be more specific.`,
      400,
      'MultipleChoices',
    );
  }
}

/** 400: the negotiated microversion is below what the method requires. */
export class MethodVersionNotFound extends SenlinError {
  constructor(version: string) {
    super(
      `API version '${version}' is not supported on this method.`,
      400,
      'MethodVersionNotFound',
    );
  }
}

/** 400: a request exceeded a configured limit (e.g. JSON body size). */
export class RequestLimitExceeded extends SenlinError {
  constructor(message: string) {
    super(`Request limit exceeded: ${message}`, 400, 'RequestLimitExceeded');
  }
}

/** 403: denied by policy or by project scoping rules. */
export class Forbidden extends SenlinError {
  constructor(message = 'You are not authorized to complete this operation.') {
    super(message, 403, 'Forbidden');
  }
}

/** Object kinds named in not-found messages. */
export type ResourceKind =
  | 'cluster'
  | 'node'
  | 'profile'
  | 'policy'
  | 'receiver'
  | 'action'
  | 'event'
  | 'profile_type'
  | 'policy_type'
  | 'service';

/** 404: an object could not be found (or belongs to another project). */
export class ResourceNotFound extends SenlinError {
  readonly kind: ResourceKind;
  readonly identity: string;

  constructor(kind: ResourceKind, identity: string) {
    super(`The ${kind} '${identity}' could not be found.`, 404, 'ResourceNotFound');
    this.kind = kind;
    this.identity = identity;
  }
}

/** 404: a policy is not attached to a cluster. */
export class PolicyBindingNotFound extends SenlinError {
  constructor(policy: string, identity: string) {
    super(
      `The policy '${policy}' is not found attached to the specified cluster '${identity}'.`,
      404,
      'PolicyBindingNotFound',
    );
  }
}

/** 406: a well-formed microversion outside the supported range. */
export class InvalidGlobalAPIVersion extends SenlinError {
  constructor(requested: string, min: string, max: string) {
    super(
      `Version '${requested}' is not supported by the API. Minimum is '${min}' and maximum is '${max}'.`,
      406,
      'InvalidGlobalAPIVersion',
    );
  }
}

/** 409: the object cannot be deleted because something still uses it. */
export class ResourceInUse extends SenlinError {
  constructor(kind: ResourceKind, identity: string, reason: string) {
    super(`The ${kind} '${identity}' cannot be deleted: ${reason}.`, 409, 'ResourceInUse');
  }
}

/** 409: an object is in a status that forbids the request. */
export class ActionInProgress extends SenlinError {
  constructor(kind: ResourceKind, identity: string, status: string) {
    super(`The ${kind} '${identity}' is in status ${status}.`, 409, 'ActionInProgress');
  }
}

/** 409: the requested feature is not supported in the current state. */
export class FeatureNotSupported extends SenlinError {
  constructor(feature: string) {
    super(`${feature} is not supported.`, 409, 'FeatureNotSupported');
  }
}

/** 409: the target is locked by a running action. */
export class ResourceIsLocked extends SenlinError {
  constructor(action: string, kind: ResourceKind, identity: string) {
    super(
      `${action} for ${kind} '${identity}' cannot be completed because it is already locked.`,
      409,
      'ResourceIsLocked',
    );
  }
}

/** 409: other actions on the same target are still active. */
export class ActionConflict extends SenlinError {
  constructor(type: string, target: string, actions: readonly string[]) {
    super(
      `The ${type} action for target ${target} conflicts with the following action(s): ${actions.join(',')}`,
      409,
      'ActionConflict',
    );
  }
}

/** 409: a scaling policy's cooldown has not yet expired. */
export class ActionCooldown extends SenlinError {
  constructor(type: string, cluster: string, policyId: string) {
    super(
      `The ${type} action for cluster ${cluster} cannot be processed due to Policy ${policyId} cooldown still in progress`,
      409,
      'ActionCooldown',
    );
  }
}

/** 500: something went wrong inside the service. */
export class InternalError extends SenlinError {
  constructor(message: string, type = 'InternalError') {
    super(message, 500, type);
  }
}

/**
 * An error answered in webob's own format rather than Senlin's (unknown routes, malformed
 * microversion strings, a webhook trigger without `V`). `detail` is the text after the
 * status explanation.
 */
export class WebobError extends Error {
  readonly status: number;
  readonly detail: string;

  constructor(status: number, detail = '') {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.name = 'WebobError';
  }
}

/** Errors that the database layer may retry: deadlocks, serialisation failures, lost links. */
export class TransientDbError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientDbError';
  }
}

/** A backend resource operation failed; `resourceId` is the (partial) resource, if any. */
export class EResourceError extends InternalError {
  readonly resourceId: string | null;

  constructor(type: string, message: string, resourceId: string | null = null) {
    super(message, type);
    this.resourceId = resourceId;
  }
}

/** Creating a backend resource failed. */
export class EResourceCreation extends EResourceError {
  constructor(kind: string, reason: string, resourceId: string | null = null) {
    super('EResourceCreation', `Failed in creating ${kind}: ${reason}.`, resourceId);
  }
}

/** Deleting a backend resource failed. */
export class EResourceDeletion extends EResourceError {
  constructor(kind: string, id: string, reason: string) {
    super('EResourceDeletion', `Failed in deleting ${kind} '${id}': ${reason}.`, id);
  }
}

/** Updating a backend resource failed. */
export class EResourceUpdate extends EResourceError {
  constructor(kind: string, id: string, reason: string) {
    super('EResourceUpdate', `Failed in updating ${kind} '${id}': ${reason}.`, id);
  }
}

/** An operation on a backend resource failed. */
export class EResourceOperation extends EResourceError {
  constructor(op: string, kind: string, id: string, reason: string) {
    super('EResourceOperation', `Failed in ${op} ${kind} '${id}': ${reason}.`, id);
  }
}

/** The server behind a node no longer exists. */
export class EServerNotFound extends EResourceError {
  constructor(id: string, reason: string) {
    super('EServerNotFound', `Failed in found server '${id}': ${reason}.`, id);
  }
}

/** No trust is stored for the owner of an object, so the cloud cannot be reached for them. */
export class TrustNotFound extends InternalError {
  constructor(trustor: string) {
    super(`The trust for trustor '${trustor}' could not be found.`, 'TrustNotFound');
  }
}
