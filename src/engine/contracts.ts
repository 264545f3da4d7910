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
  /** Claims on pooled resources (volume, port and fixed IP pools); absent: no pools. */
  readonly claims?: ResourceClaims;
}

/** Kinds of pooled resources a node can hold. */
export type ClaimKind = 'volume' | 'port' | 'fixed_ip';

/** A pooled resource held by a node. */
export interface ResourceClaim {
  readonly kind: ClaimKind;
  /** The pool the resource was taken from (a key derived from the pool's definition). */
  readonly pool: string;
  readonly resourceId: string;
  readonly nodeId: string;
  /** A sticky claim outlives the node's resource (recreate) and ends with the node. */
  readonly sticky: boolean;
}

/**
 * Claims on pooled resources, kept where every engine sees them: one resource is held by at
 * most one node at a time, whatever engine asks.
 */
export interface ResourceClaims {
  /**
   * Claims the first of `candidates` nobody holds for `nodeId`; null when all are held.
   * Claims of nodes that no longer exist are given up first.
   */
  claim(request: {
    kind: ClaimKind;
    pool: string;
    candidates: readonly string[];
    nodeId: string;
    sticky: boolean;
  }): Promise<string | null>;
  /** The claims a node holds. */
  held(nodeId: string): Promise<ResourceClaim[]>;
  /** Gives a resource back to its pool (nothing happens when `nodeId` does not hold it). */
  release(kind: ClaimKind, resourceId: string, nodeId: string): Promise<void>;
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

/** A cluster as policies see it (a fresh read). */
export interface ClusterView {
  readonly id: string;
  readonly name: string;
  readonly profileId: string;
  /** `<type>-<version>` of the cluster's profile. */
  readonly profileType: string;
  readonly user: string;
  readonly project: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number | null;
  readonly status: string;
  readonly timeout: number;
  readonly data: Readonly<Record<string, unknown>>;
  readonly config: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** A cluster member as policies see it. */
export interface MemberView extends NodeView {
  readonly profileId: string;
  readonly statusReason: string;
  readonly tainted: boolean;
  readonly createdAt: Date | null;
}

/** A policy object as its behaviour sees it. */
export interface PolicyView {
  readonly id: string;
  readonly name: string;
  /** `<type>-<version>`. */
  readonly type: string;
  /** Resolved properties of the spec (defaults applied). */
  readonly properties: Readonly<Record<string, unknown>>;
}

/** The health registration of a cluster (`health_registry`), kept by the health policy. */
export interface HealthRegistration {
  /** Comma-joined detection types, e.g. `NODE_STATUS_POLLING,NODE_STATUS_POLL_URL`. */
  readonly checkType: string;
  readonly interval: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly enabled: boolean;
}

/** What policy behaviour may use for one call, acting for the cluster's owner. */
export interface PolicyContext {
  /** Aborted when the action times out or is cancelled. */
  readonly signal: AbortSignal;
  readonly settings: {
    readonly maxNodesPerCluster: number;
    readonly healthCheckIntervalMin: number;
    readonly novaTimeout: number;
    readonly actionTimeout: number;
  };
  now(): Date;
  /** The cluster, read now. */
  cluster(): Promise<ClusterView>;
  /** The cluster's members, read now, in index order. */
  members(): Promise<MemberView[]>;
  /** A profile with its creation time (deletion policy: oldest profile first). */
  profile(id: string): Promise<ProfileView & { readonly createdAt: Date | null }>;
  /** Drivers acting for the cluster's owner. */
  drivers(): Promise<CloudDrivers>;
  /** Details of a node's resource (addresses of a server, …) through its profile. */
  nodeDetails(nodeId: string): Promise<Record<string, unknown>>;
  saveNodeData(nodeId: string, data: Record<string, unknown>): Promise<void>;
  setNodeStatus(nodeId: string, status: string, reason: string): Promise<void>;
  saveClusterData(data: Record<string, unknown>): Promise<void>;
  /** Replaces the data of a binding (`cluster_policy.data`). */
  saveBindingData(bindingId: string, data: Record<string, unknown>): Promise<void>;
  /** Records the end of a scaling operation on a binding (cooldowns). */
  setLastOp(bindingId: string, when: Date): Promise<void>;
  /** The cluster's health registration. */
  readonly health: {
    get(): Promise<HealthRegistration | null>;
    register(registration: HealthRegistration): Promise<void>;
    unregister(): Promise<void>;
    setEnabled(enabled: boolean): Promise<void>;
  };
  sleep(seconds: number): Promise<void>;
}

/** Result of attaching a policy: the binding data to keep, or a failure reason. */
export interface PolicyAttachResult {
  readonly ok: boolean;
  readonly reason?: string;
  readonly data?: Record<string, unknown>;
}

/** What a policy type does (filled in by the policies package, keyed by `<type>-<version>`). */
export interface PolicyBehaviour {
  /** Runs when the policy is attached to a cluster (create load balancers, server groups …). */
  attach?(policy: PolicyView, enabled: boolean, ctx: PolicyContext): Promise<PolicyAttachResult>;
  /** Runs when the policy is detached (or the cluster deleted): removes what attach created. */
  detach?(
    policy: PolicyView,
    binding: PolicyBindingView,
    ctx: PolicyContext,
  ): Promise<PolicyCheckResult>;
  /** Runs when the binding is enabled or disabled. */
  setEnabled?(
    policy: PolicyView,
    binding: PolicyBindingView,
    enabled: boolean,
    ctx: PolicyContext,
  ): Promise<void>;
  /** Whether the policy checks this action at this point (default: its type's targets). */
  needCheck?(
    when: 'BEFORE' | 'AFTER',
    action: PolicyActionView,
    binding: PolicyBindingView,
  ): boolean;
  /** Before the action: may write decisions into `action.data`, or refuse it. */
  preOp?(
    policy: PolicyView,
    binding: PolicyBindingView,
    action: PolicyActionView,
    ctx: PolicyContext,
  ): Promise<PolicyCheckResult>;
  /** After the action (also when it failed; `action.inputs.action_result` says how it ended). */
  postOp?(
    policy: PolicyView,
    binding: PolicyBindingView,
    action: PolicyActionView,
    ctx: PolicyContext,
  ): Promise<PolicyCheckResult>;
  /** Checks a spec against live resources at policy create (regions, zones, subnets …). */
  validateWithCloud?(
    properties: Readonly<Record<string, unknown>>,
    drivers: CloudDrivers,
  ): Promise<void>;
}
