/** Handlers of every action name. */
import type { ActionResult, Execution } from '../execution.js';
import { ok } from '../execution.js';
import { clusterCreate, clusterDelete, clusterUpdate } from './cluster/lifecycle.js';
import { clusterCheck, clusterOperation, clusterRecover } from './cluster/maintenance.js';
import { clusterAddNodes, clusterDelNodes, clusterReplaceNodes } from './cluster/membership.js';
import {
  clusterAttachPolicy,
  clusterDetachPolicy,
  clusterUpdatePolicy,
} from './cluster/policies.js';
import { clusterResize, clusterScaleIn, clusterScaleOut } from './cluster/scaling.js';
import {
  nodeCheck,
  nodeCreate,
  nodeDelete,
  nodeJoin,
  nodeLeave,
  nodeOperation,
  nodeRecover,
  nodeUpdate,
} from './node/index.js';

/** What runs an action. */
export type ActionHandler = (x: Execution) => Promise<ActionResult>;

const HANDLERS: Readonly<Record<string, ActionHandler>> = {
  CLUSTER_CREATE: clusterCreate,
  CLUSTER_DELETE: clusterDelete,
  CLUSTER_UPDATE: clusterUpdate,
  CLUSTER_ADD_NODES: clusterAddNodes,
  CLUSTER_DEL_NODES: clusterDelNodes,
  CLUSTER_RESIZE: clusterResize,
  CLUSTER_CHECK: clusterCheck,
  CLUSTER_RECOVER: clusterRecover,
  CLUSTER_REPLACE_NODES: clusterReplaceNodes,
  CLUSTER_SCALE_OUT: clusterScaleOut,
  CLUSTER_SCALE_IN: clusterScaleIn,
  CLUSTER_ATTACH_POLICY: clusterAttachPolicy,
  CLUSTER_DETACH_POLICY: clusterDetachPolicy,
  CLUSTER_UPDATE_POLICY: clusterUpdatePolicy,
  CLUSTER_OPERATION: clusterOperation,
  NODE_CREATE: nodeCreate,
  NODE_DELETE: nodeDelete,
  NODE_UPDATE: nodeUpdate,
  NODE_JOIN: nodeJoin,
  NODE_LEAVE: nodeLeave,
  NODE_CHECK: nodeCheck,
  NODE_RECOVER: nodeRecover,
  NODE_OPERATION: nodeOperation,
};

/** The handler of an action name; other names run as custom actions that do nothing. */
export function handlerFor(name: string): ActionHandler | undefined {
  if (name in HANDLERS) return HANDLERS[name];
  if (name.startsWith('CLUSTER_') || name.startsWith('NODE_')) return undefined;
  return async () => ok('');
}
