/** Parsing and validation of profile specs (profile create and validate). */
import { ESchema, ResourceNotFound } from '../common/errors.js';
import { pyRepr } from '../common/py-repr.js';
import {
  isPlainObject,
  isTruthy,
  mapProp,
  type PropertyMap,
  type ResolvedProperties,
  readSpecTypeVersion,
  resolve,
  resolveKey,
  stringProp,
} from '../common/spec-schema/index.js';
import { profileTypes } from './registry.js';
import type { ProfileType, ProfileTypeRegistry } from './types.js';

/** Keys of the spec envelope of a profile. */
const profileEnvelope: PropertyMap = {
  type: stringProp({ description: 'Name of the profile type.', required: true }),
  version: stringProp({ description: 'Version of the profile type.', required: true }),
  properties: mapProp({ description: 'Properties of the profile.', required: true }),
};

/** Keys a profile's `context` property may set (the fields of a request context). */
export const PROFILE_CONTEXT_KEYS: readonly string[] = Object.freeze([
  'auth_token',
  'user_id',
  'project_id',
  'domain_id',
  'user_domain_id',
  'project_domain_id',
  'is_admin',
  'read_only',
  'show_deleted',
  'request_id',
  'auth_url',
  'trusts',
  'user_name',
  'project_name',
  'domain_name',
  'user_domain_name',
  'project_domain_name',
  'auth_token_info',
  'region_name',
  'roles',
  'password',
  'api_version',
]);

/** Options of `parseProfileSpec`. */
export interface ParseProfileSpecOptions {
  /** Name of the profile, used in some messages; `validated_profile` when left out. */
  readonly profileName?: string;
  /** Registry to look the type up in; the built-in types when left out. */
  readonly registry?: ProfileTypeRegistry;
}

/** A validated profile spec. */
export interface ParsedProfileSpec {
  readonly type: ProfileType;
  /** Every property of the type, resolved (defaults applied, absent ones `null`). */
  readonly properties: ResolvedProperties;
}

function checkContextKeys(context: unknown): void {
  if (!isTruthy(context) || !isPlainObject(context)) return;
  const bad = Object.keys(context).filter((k) => !PROFILE_CONTEXT_KEYS.includes(k));
  if (bad.length > 0) throw new ESchema(`Some keys in 'context' are invalid: ${pyRepr(bad)}`);
}

/**
 * Validates a profile spec and resolves its properties, with the checks and the messages of
 * upstream and in its order: envelope (`type`, `version`; `ESchema`), type lookup
 * (`ResourceNotFound('profile_type', '<type>-<version>')`), the `context` property, the envelope
 * keys, all properties (`ESchema`, e.g. `Unrecognizable spec item 'bogus'`), the keys of
 * `context` (`ESchema`), then the type's own checks (`InvalidSpec`). Checks against the cloud
 * are not run here (see `ProfileType.validateWithCloud`).
 */
export function parseProfileSpec(
  spec: unknown,
  options: ParseProfileSpecOptions = {},
): ParsedProfileSpec {
  const { typeName } = readSpecTypeVersion(spec);
  const registry = options.registry ?? profileTypes;
  const type = registry.get(typeName);
  if (type === undefined) throw new ResourceNotFound('profile_type', typeName);

  const raw = spec as Record<string, unknown>;
  // The context is read when a profile object is built, before the spec is validated.
  if (isPlainObject(raw.properties) && Object.hasOwn(type.schema, 'context')) {
    resolveKey(type.schema, raw.properties, 'context');
  }
  const envelope = resolve(profileEnvelope, raw);
  const properties = resolve(type.schema, envelope.properties);
  checkContextKeys(properties.context);
  type.validateSpec?.(properties, { profileName: options.profileName ?? 'validated_profile' });
  return { type, properties };
}
