/**
 * What the engine offers to profile and policy plugins, and what it expects from them.
 * Plugins import this file type-only; the engine implements the services.
 */
import type { CloudDrivers } from '../drivers/types.js';

/** A node as profile behaviour sees it. */
export interface NodeView {
  readonly id: string;
  readonly name: string;
  /** `''` for orphans. */
  readonly clusterId: string;
  readonly index: number;
  readonly physicalId: string | null;
  readonly status: string;
  readonly role: string | null;
  readonly user: string;
  readonly project: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A profile as its behaviour sees it. */
export interface ProfileView {
  readonly id: string;
  readonly name: string;
  /** `<type>-<version>`, e.g. `os.nova.server-1.0`. */
  readonly type: string;
  /** Resolved properties of the spec (defaults applied). */
  readonly properties: Readonly<Record<string, unknown>>;
  /** Connection overrides (the spec's `context` property). */
  readonly context: Readonly<Record<string, unknown>>;
}

/** Engine settings profile behaviour needs. */
export interface ProfileSettings {
  /** `[DEFAULT] default_nova_timeout` (seconds). */
  readonly novaTimeout: number;
  /** `[DEFAULT] default_action_timeout` (seconds). */
  readonly actionTimeout: number;
  /** `[DEFAULT] batch_interval` (seconds), the pause between delete and create in RECREATE. */
  readonly batchInterval: number;
}

/** Everything one call of profile behaviour may use. */
export interface ProfileCallContext {
  /** Drivers authenticated for the owner of the node. */
  readonly drivers: CloudDrivers;
  /** Aborted when the action times out or is cancelled; pass it to every wait. */
  readonly signal: AbortSignal;
  readonly settings: ProfileSettings;
  /** Stores the node's `data` at once (e.g. the ports a create has made so far). */
  saveNodeData(data: Record<string, unknown>): Promise<void>;
  /** Looks nodes and clusters up (container profiles choose their host this way). */
  readonly lookup: ProfileLookup;
  /** Sleeps, ending early with an error when `signal` aborts. */
  sleep(seconds: number): Promise<void>;
}

/** Read access to nodes and clusters for profile behaviour. */
export interface ProfileLookup {
  /** A node by id, name or short id, or null. */
  findNode(identity: string): Promise<NodeView | null>;
  /** The nodes of a cluster found by id, name or short id; null when there is no such cluster. */
  clusterNodes(identity: string): Promise<NodeView[] | null>;
  /** The profile of a node. */
  nodeProfile(node: NodeView): Promise<ProfileView>;
}

/** Options of a recovery. */
export interface RecoverOptions {
  /** REBOOT, REBUILD, RECREATE, … (upper case); absent: the type's default. */
  readonly operation?: string;
  readonly operationParams?: Readonly<Record<string, unknown>>;
  readonly forceRecreate?: boolean;
  readonly deleteTimeout?: number | null;
}

/** What a profile type does to the resources of its nodes. */
export interface ProfileBehaviour {
  /** Creates the resource of a node; returns its physical id. Throws EResourceCreation. */
  create(node: NodeView, profile: ProfileView, ctx: ProfileCallContext): Promise<string>;
  /** Deletes the resource of a node (a missing resource is fine). Throws EResourceDeletion. */
  delete(
    node: NodeView,
    profile: ProfileView,
    ctx: ProfileCallContext,
    options?: { force?: boolean; timeout?: number | null },
  ): Promise<void>;
  /**
   * Moves a node's resource from `current` to `next` profile; false when the change is not
   * possible (non-updatable properties changed). Throws EResourceUpdate.
   */
  update(
    node: NodeView,
    current: ProfileView,
    next: ProfileView,
    ctx: ProfileCallContext,
    params: Readonly<Record<string, unknown>>,
  ): Promise<boolean>;
  /** True when the resource is healthy. Throws EServerNotFound when it is gone. */
  check(node: NodeView, profile: ProfileView, ctx: ProfileCallContext): Promise<boolean>;
  /** Health check by detection type (health manager); default: `check`. */
  healthCheck?(
    node: NodeView,
    profile: ProfileView,
    ctx: ProfileCallContext,
    detection: string,
  ): Promise<boolean>;
  /** Recovers the resource; returns the (possibly new) physical id and success. */
  recover(
    node: NodeView,
    profile: ProfileView,
    ctx: ProfileCallContext,
    options: RecoverOptions,
  ): Promise<{ physicalId: string | null; ok: boolean }>;
  /** Details of the resource for `GET /v1/nodes/{id}?show_details=true`. */
  details(
    node: NodeView,
    profile: ProfileView,
    ctx: ProfileCallContext,
  ): Promise<Record<string, unknown>>;
  /** Tells the resource it joined a cluster (e.g. server metadata). */
  join(
    node: NodeView,
    profile: ProfileView,
    ctx: ProfileCallContext,
    clusterId: string,
  ): Promise<boolean>;
  /** Tells the resource it left its cluster. */
  leave(node: NodeView, profile: ProfileView, ctx: ProfileCallContext): Promise<boolean>;
  /** Spec properties describing an existing resource (node adopt). */
  adopt(
    physicalId: string,
    ctx: ProfileCallContext,
    options: { overrides?: Readonly<Record<string, unknown>> | null; snapshot?: boolean },
  ): Promise<Record<string, unknown>>;
  /** Runs an operation of the type's `operations` (params already validated). */
  operation(
    node: NodeView,
    profile: ProfileView,
    ctx: ProfileCallContext,
    name: string,
    params: Readonly<Record<string, unknown>>,
  ): Promise<void>;
  /** Checks a spec against live resources (profile create). Throws InvalidSpec. */
  validateWithCloud?(
    properties: Readonly<Record<string, unknown>>,
    ctx: ProfileCallContext,
  ): Promise<void>;
}

/** The action a policy looks at (its inputs and data may be changed by the policy). */
export interface PolicyActionView {
  readonly id: string;
  readonly action: string;
  readonly cause: string;
  readonly target: string;
  readonly inputs: Record<string, unknown>;
  readonly data: Record<string, unknown>;
}

/** A policy bound to a cluster, as its behaviour sees it. */
export interface PolicyBindingView {
  readonly bindingId: string;
  readonly clusterId: string;
  readonly policyId: string;
  readonly policyName: string;
  /** `<type>-<version>`. */
  readonly type: string;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly enabled: boolean;
  readonly priority: number;
  /** Per-binding data the policy keeps (`cluster_policy.data`). */
  readonly data: Readonly<Record<string, unknown>>;
  readonly lastOp: Date | null;
}

/** What a policy check returns: unchanged action, or a failure reason. */
export interface PolicyCheckResult {
  readonly ok: boolean;
  readonly reason?: string;
}

/** What a policy type does around actions (filled in by the policies package). */
export interface PolicyBehaviour {
  /** Whether the policy checks this action at this point (default: its type's targets). */
  needCheck?(
    when: 'BEFORE' | 'AFTER',
    action: PolicyActionView,
    binding: PolicyBindingView,
  ): boolean;
  preOp?(
    binding: PolicyBindingView,
    action: PolicyActionView,
    services: unknown,
  ): Promise<PolicyCheckResult>;
  postOp?(
    binding: PolicyBindingView,
    action: PolicyActionView,
    services: unknown,
  ): Promise<PolicyCheckResult>;
}
