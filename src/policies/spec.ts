/** Parsing and validation of policy specs (policy create and validate). */
import { ResourceNotFound } from '../common/errors.js';
import {
  isPlainObject,
  mapProp,
  type PropertyMap,
  type ResolvedProperties,
  readSpecTypeVersion,
  resolve,
  resolveKey,
  stringProp,
} from '../common/spec-schema/index.js';
import { policyTypes } from './registry.js';
import type { PolicyType, PolicyTypeRegistry } from './types.js';

/** Keys of the spec envelope of a policy. */
const policyEnvelope: PropertyMap = {
  type: stringProp({ description: 'Name of the policy type.', required: true }),
  version: stringProp({ description: 'Version of the policy type.', required: true }),
  description: stringProp({ description: 'Free text describing the policy.', default: '' }),
  properties: mapProp({ description: 'Properties of the policy.', required: true }),
};

/** `[DEFAULT] health_check_interval_min` when the caller passes none. */
export const DEFAULT_HEALTH_CHECK_INTERVAL_MIN = 60;

/** Options of `parsePolicySpec`. */
export interface ParsePolicySpecOptions {
  /** Name of the policy; `validated_policy` when left out. */
  readonly policyName?: string;
  /** `[DEFAULT] health_check_interval_min`; 60 when left out. */
  readonly healthCheckIntervalMin?: number;
  /** Registry to look the type up in; the built-in types when left out. */
  readonly registry?: PolicyTypeRegistry;
}

/** A validated policy spec. */
export interface ParsedPolicySpec {
  readonly type: PolicyType;
  /** The spec's `description` (`''` when absent). */
  readonly description: string;
  /** Every property of the type, resolved (defaults applied, absent ones `null`). */
  readonly properties: ResolvedProperties;
}

/**
 * Validates a policy spec and resolves its properties, with upstream's checks, messages and
 * order: envelope (`type`, `version`; `ESchema`), type lookup
 * (`ResourceNotFound('policy_type', '<type>-<version>')`), the properties the type reads first,
 * the envelope keys, all properties (`ESchema`, e.g. `Unrecognizable spec item 'bogus'`), then
 * the type's own checks (`InvalidSpec`, sometimes `ESchema`). Checks against the cloud are not
 * run here (see `PolicyType.validateWithCloud`).
 */
export function parsePolicySpec(
  spec: unknown,
  options: ParsePolicySpecOptions = {},
): ParsedPolicySpec {
  const { typeName } = readSpecTypeVersion(spec);
  const registry = options.registry ?? policyTypes;
  const type = registry.get(typeName);
  if (type === undefined) throw new ResourceNotFound('policy_type', typeName);

  const raw = spec as Record<string, unknown>;
  if (isPlainObject(raw.properties)) {
    for (const key of type.resolveFirst) resolveKey(type.schema, raw.properties, key);
  }
  const envelope = resolve(policyEnvelope, raw);
  const properties = resolve(type.schema, envelope.properties);
  type.validateSpec?.(properties, {
    policyName: options.policyName ?? 'validated_policy',
    healthCheckIntervalMin: options.healthCheckIntervalMin ?? DEFAULT_HEALTH_CHECK_INTERVAL_MIN,
  });
  return { type, description: String(envelope.description ?? ''), properties };
}
