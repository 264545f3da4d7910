/**
 * Senlin's versioned notification payloads (engine contract §10.2), serialized as upstream's
 * versioned objects: `{"senlin_object.name", "senlin_object.namespace": "senlin",
 * "senlin_object.version", "senlin_object.data"}`. Kept from upstream on purpose: date-times
 * are `YYYY-MM-DDTHH:MM:SSZ`, and JSON fields (`metadata`, `data`, `dependents`, `inputs`,
 * `outputs`) are JSON-encoded strings, as oslo.versionedobjects serializes them.
 */

/** The cluster fields of a `ClusterPayload`. */
export interface ClusterSource {
  readonly id: string;
  readonly name: string;
  readonly profileId: string;
  readonly initAt: Date | null;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number | null;
  readonly timeout: number;
  readonly status: string;
  readonly statusReason: string;
  readonly metadata: unknown;
  readonly data: unknown;
  readonly user: string;
  readonly project: string;
  readonly domain: string | null;
  readonly dependents: unknown;
}

/** The node fields of a `NodePayload`. */
export interface NodeSource {
  readonly id: string;
  readonly name: string;
  readonly profileId: string;
  readonly clusterId: string;
  readonly physicalId: string | null;
  readonly index: number;
  readonly role: string | null;
  readonly initAt: Date | null;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
  readonly status: string;
  readonly statusReason: string;
  readonly metadata: unknown;
  readonly data: unknown;
  readonly user: string;
  readonly project: string;
  readonly domain: string | null;
  readonly dependents: unknown;
}

/** The action fields of an `ActionPayload` (times in epoch seconds). */
export interface ActionSource {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date | null;
  readonly target: string;
  readonly action: string;
  readonly startTime: number | null;
  readonly endTime: number | null;
  readonly timeout: number | null;
  readonly status: string;
  readonly statusReason: string;
  readonly inputs: unknown;
  readonly outputs: unknown;
  readonly data: unknown;
  readonly user: string | null;
  readonly project: string | null;
}

/** A serialized versioned object. */
export type VersionedObject = Readonly<Record<string, unknown>>;

/** Wraps `data` as the versioned object `name`. */
export function versioned(
  name: string,
  data: Record<string, unknown>,
  version = '1.0',
): VersionedObject {
  return {
    'senlin_object.name': name,
    'senlin_object.namespace': 'senlin',
    'senlin_object.version': version,
    'senlin_object.data': data,
  };
}

/** `2026-11-25T08:49:45Z`, or null. */
export function isoSeconds(d: Date | null): string | null {
  return d ? `${d.toISOString().slice(0, 19)}Z` : null;
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** `ClusterPayload` 1.0. */
export function clusterPayload(c: ClusterSource): VersionedObject {
  return versioned('ClusterPayload', {
    id: c.id,
    name: c.name,
    profile_id: c.profileId,
    init_at: isoSeconds(c.initAt),
    created_at: isoSeconds(c.createdAt),
    updated_at: isoSeconds(c.updatedAt),
    min_size: c.minSize,
    max_size: c.maxSize,
    desired_capacity: c.desiredCapacity,
    timeout: c.timeout,
    status: c.status,
    status_reason: c.statusReason,
    metadata: json(c.metadata),
    data: json(c.data),
    user: c.user,
    project: c.project,
    domain: c.domain,
    dependents: json(c.dependents),
  });
}

/** `NodePayload` 1.0. */
export function nodePayload(n: NodeSource): VersionedObject {
  return versioned('NodePayload', {
    id: n.id,
    name: n.name,
    profile_id: n.profileId,
    cluster_id: n.clusterId,
    physical_id: n.physicalId,
    index: n.index,
    role: n.role,
    init_at: isoSeconds(n.initAt),
    created_at: isoSeconds(n.createdAt),
    updated_at: isoSeconds(n.updatedAt),
    status: n.status,
    status_reason: n.statusReason,
    metadata: json(n.metadata),
    data: json(n.data),
    user: n.user,
    project: n.project,
    domain: n.domain,
    dependents: json(n.dependents),
  });
}

/** `ActionPayload` 1.0. */
export function actionPayload(a: ActionSource): VersionedObject {
  return versioned('ActionPayload', {
    id: a.id,
    name: a.name,
    created_at: isoSeconds(a.createdAt),
    target: a.target,
    action: a.action,
    start_time: a.startTime,
    end_time: a.endTime,
    timeout: a.timeout,
    status: a.status,
    status_reason: a.statusReason,
    inputs: json(a.inputs),
    outputs: json(a.outputs),
    data: json(a.data),
    user: a.user ?? '',
    project: a.project ?? '',
  });
}

/** `ClusterActionPayload` 1.0: the payload of `cluster.<action>.<phase>` notifications. */
export function clusterActionPayload(
  cluster: ClusterSource,
  action: ActionSource,
): VersionedObject {
  return versioned('ClusterActionPayload', {
    cluster: clusterPayload(cluster),
    action: actionPayload(action),
    exception: null,
  });
}

/** `NodeActionPayload` 1.0: the payload of `node.<action>.<phase>` notifications. */
export function nodeActionPayload(node: NodeSource, action: ActionSource): VersionedObject {
  return versioned('NodeActionPayload', {
    node: nodePayload(node),
    action: actionPayload(action),
    exception: null,
  });
}
