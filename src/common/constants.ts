/** Names and statuses that reach the wire and the database, byte-identical to upstream's. */

/** Cluster action names. */
export const CLUSTER_ACTIONS = [
  'CLUSTER_CREATE',
  'CLUSTER_DELETE',
  'CLUSTER_UPDATE',
  'CLUSTER_ADD_NODES',
  'CLUSTER_DEL_NODES',
  'CLUSTER_RESIZE',
  'CLUSTER_CHECK',
  'CLUSTER_RECOVER',
  'CLUSTER_REPLACE_NODES',
  'CLUSTER_SCALE_OUT',
  'CLUSTER_SCALE_IN',
  'CLUSTER_ATTACH_POLICY',
  'CLUSTER_DETACH_POLICY',
  'CLUSTER_UPDATE_POLICY',
  'CLUSTER_OPERATION',
] as const;

/** Node action names. */
export const NODE_ACTIONS = [
  'NODE_CREATE',
  'NODE_DELETE',
  'NODE_UPDATE',
  'NODE_JOIN',
  'NODE_LEAVE',
  'NODE_CHECK',
  'NODE_RECOVER',
  'NODE_OPERATION',
] as const;

/** A cluster action name. */
export type ClusterActionName = (typeof CLUSTER_ACTIONS)[number];
/** A node action name. */
export type NodeActionName = (typeof NODE_ACTIONS)[number];

/** Every action name the API accepts as a filter. */
export const ACTION_NAMES: readonly string[] = [...CLUSTER_ACTIONS, ...NODE_ACTIONS];

/** Statuses of actions. */
export const ActionStatus = {
  INIT: 'INIT',
  WAITING: 'WAITING',
  READY: 'READY',
  RUNNING: 'RUNNING',
  SUSPENDED: 'SUSPENDED',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
  WAITING_LIFECYCLE_COMPLETION: 'WAITING_LIFECYCLE_COMPLETION',
} as const;
/** An action status. */
export type ActionStatusName = (typeof ActionStatus)[keyof typeof ActionStatus];
/** Every action status. */
export const ACTION_STATUSES: readonly string[] = Object.values(ActionStatus);
/** Statuses an action can no longer leave. */
export const FINAL_ACTION_STATUSES: readonly string[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
/** Statuses in which an action blocks others on the same target. */
export const ACTIVE_ACTION_STATUSES: readonly string[] = [
  'READY',
  'WAITING',
  'RUNNING',
  'WAITING_LIFECYCLE_COMPLETION',
];
/** Statuses from which an action can be cancelled. */
export const CANCELLABLE_ACTION_STATUSES: readonly string[] = [
  'INIT',
  'WAITING',
  'READY',
  'RUNNING',
  'WAITING_LIFECYCLE_COMPLETION',
];

/** Why an action exists. */
export const ActionCause = {
  RPC: 'RPC Request',
  DERIVED: 'Derived Action',
  DERIVED_LCH: 'Derived Action with Lifecycle Hook',
} as const;

/** Signals written to `action.control`. */
export const ActionControl = { CANCEL: 'CANCEL', SUSPEND: 'SUSPEND', RESUME: 'RESUME' } as const;

/** Cluster statuses. */
export const CLUSTER_STATUSES = [
  'INIT',
  'ACTIVE',
  'CREATING',
  'UPDATING',
  'RESIZING',
  'DELETING',
  'CHECKING',
  'RECOVERING',
  'CRITICAL',
  'ERROR',
  'WARNING',
  'OPERATING',
] as const;

/** Node statuses. */
export const NODE_STATUSES = [
  'INIT',
  'ACTIVE',
  'ERROR',
  'WARNING',
  'CREATING',
  'UPDATING',
  'DELETING',
  'RECOVERING',
  'OPERATING',
] as const;

/** Event levels: names on the wire, numbers in the database. */
export const EVENT_LEVELS = { CRITICAL: 50, ERROR: 40, WARN: 30, INFO: 20, DEBUG: 10 } as const;
/** An event level name. */
export type EventLevelName = keyof typeof EVENT_LEVELS;

/** Receiver types. */
export const RECEIVER_TYPES = ['webhook', 'message'] as const;
