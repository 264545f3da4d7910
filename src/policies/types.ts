/**
 * Policy type descriptors: what a policy type is (name, version, property schema, priority,
 * targets, support status) and the spec checks that need no cloud. The checks a policy runs
 * around actions (attach, detach, pre_op, post_op) are attached later by the engine through a
 * separate interface keyed by `typeName`, so the descriptors stay free of I/O.
 */
import type {
  PropertyMap,
  ResolvedProperties,
  SupportStatusMap,
} from '../common/spec-schema/index.js';

export type {
  SupportStatusEntry,
  SupportStatusMap,
  SupportStatusName,
} from '../common/spec-schema/index.js';
export { SupportStatus } from '../common/spec-schema/index.js';

/** When a policy is checked relative to an action. */
export type PolicyCheckPoint = 'BEFORE' | 'AFTER';

/** One (when, action name) pair a policy is checked at. */
export type PolicyTarget = readonly [PolicyCheckPoint, string];

/** What the spec checks of a policy type may know. */
export interface PolicyValidationContext {
  /** Name of the policy being created (`validated_policy` for the validate API). */
  readonly policyName: string;
  /** `[DEFAULT] health_check_interval_min`: the smallest health polling interval allowed. */
  readonly healthCheckIntervalMin: number;
}

/**
 * Services a spec check against live resources receives (cloud drivers). The engine supplies
 * the concrete services; this package only names the shape.
 */
export type CloudValidationEnv = Readonly<Record<string, unknown>>;

/** A built-in or custom policy type, one per `<name>-<version>`. */
export interface PolicyType {
  /** Type name without version, e.g. `senlin.policy.scaling`. */
  readonly name: string;
  /** Version as a string, e.g. `1.0`. */
  readonly version: string;
  /** `<name>-<version>`: the key in the registry and the `type` stored with a policy. */
  readonly typeName: string;
  /** Full status map of the type (all versions), as the show API reports it. */
  readonly supportStatus: SupportStatusMap;
  /** The property schema of the spec's `properties` (the same for all versions of a type). */
  readonly schema: PropertyMap;
  /** Order among the policies of a cluster: lower values are checked first. */
  readonly priority: number;
  /** Whether a cluster may have only one policy of this type attached. */
  readonly singleton: boolean;
  /**
   * Profile types (`<name>-<version>`) the policy may be attached to, or `['ANY']`. The health
   * policy lists type names without version and does its own check at attach time.
   */
  readonly profileTypes: readonly string[];
  /** The actions the policy is checked at, before and/or after. */
  readonly targets: readonly PolicyTarget[];
  /**
   * Key and version of the envelope the policy keeps its per-cluster data in
   * (`cluster_policy.data = {<key>: {version, data}}`); shared by all versions of a type.
   */
  readonly dataEnvelope: { readonly key: string; readonly version: string };
  /**
   * Properties resolved when a policy object is built, before the whole spec is validated;
   * errors in them are reported first (this keeps upstream's error precedence).
   */
  readonly resolveFirst: readonly string[];
  /**
   * Checks on resolved properties that need no cloud; raise `InvalidSpec` (or `ESchema`) with
   * the message clients expect.
   */
  validateSpec?(properties: ResolvedProperties, ctx: PolicyValidationContext): void;
  /**
   * Checks of the properties against live resources (regions, zones, subnets exist …), run at
   * policy create after `validateSpec`. Implemented by the engine layer.
   */
  validateWithCloud?(properties: ResolvedProperties, env: CloudValidationEnv): Promise<void>;
}

/** The part of a policy type that all its versions share. */
export type PolicyTypeFamily = Omit<PolicyType, 'version' | 'typeName'> & {
  /** The versions registered for this type. */
  readonly versions: readonly string[];
};

/** Lookup of policy types by `typeName`. */
export interface PolicyTypeRegistry {
  /** All types, ordered by `typeName`. */
  list(): readonly PolicyType[];
  /** The type registered under `typeName`, if any. */
  get(typeName: string): PolicyType | undefined;
}

/** One descriptor per version of a policy type family. */
export function policyTypeVersions(family: PolicyTypeFamily): readonly PolicyType[] {
  const { versions, ...shared } = family;
  return Object.freeze(
    versions.map((version) =>
      Object.freeze({ ...shared, version, typeName: `${family.name}-${version}` }),
    ),
  );
}
