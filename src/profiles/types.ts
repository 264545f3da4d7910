/**
 * Profile type descriptors: what a profile type is (name, version, property schema,
 * operations, support status) and the spec checks that need no cloud. What a profile type
 * does at run time (create, delete, update, check, recover a resource) is attached later by
 * the engine through a separate interface keyed by `typeName`, so that the descriptors stay
 * free of I/O and can be listed and validated anywhere.
 */
import type {
  OperationMap,
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

/** What the spec checks of a profile type may know about the request. */
export interface ProfileValidationContext {
  /** Name of the profile being created (`validated_profile` for the validate API). */
  readonly profileName: string;
}

/**
 * Services a spec check against live resources receives (cloud drivers, lookups of clusters
 * and nodes). The engine supplies the concrete services; this package only names the shape.
 */
export type CloudValidationEnv = Readonly<Record<string, unknown>>;

/** A built-in or custom profile type, one per `<name>-<version>`. */
export interface ProfileType {
  /** Type name without version, e.g. `os.nova.server`. */
  readonly name: string;
  /** Version as a string, e.g. `1.0`. */
  readonly version: string;
  /** `<name>-<version>`: the key in the registry and the `type` stored with a profile. */
  readonly typeName: string;
  /** Full status map of the type (all versions), as the show API reports it. */
  readonly supportStatus: SupportStatusMap;
  /** The property schema of the spec's `properties`. */
  readonly schema: PropertyMap;
  /** Operations offered on resources of this type (`/ops`, node and cluster operations). */
  readonly operations: OperationMap;
  /**
   * Checks on resolved properties that need no cloud; raise `InvalidSpec` (or `ESchema`) with
   * the message clients expect.
   */
  validateSpec?(properties: ResolvedProperties, ctx: ProfileValidationContext): void;
  /**
   * Checks that nodes of a profile with `current` properties may be moved to one with `next`
   * (cluster and node updates naming a new profile); raises `InvalidSpec` when not.
   */
  validateUpdate?(current: ResolvedProperties, next: ResolvedProperties): void;
  /**
   * Checks of the properties against live resources (flavor, image, networks exist …), run
   * at profile create and validate after `validateSpec`. Implemented by the engine layer.
   */
  validateWithCloud?(properties: ResolvedProperties, env: CloudValidationEnv): Promise<void>;
}

/** Lookup of profile types by `typeName`. */
export interface ProfileTypeRegistry {
  /** All types, ordered by `typeName`. */
  list(): readonly ProfileType[];
  /** The type registered under `typeName`, if any. */
  get(typeName: string): ProfileType | undefined;
}
