/**
 * Creating actions, with upstream's admission checks: a locked target (409
 * `ResourceIsLocked`), other active actions on the target (409 `ActionConflict`), and for
 * scaling, another scaling action or a policy cooldown (409 `ActionConflict`/`ActionCooldown`).
 * Deletes and node operations skip the lock and conflict checks.
 */
import type { Kysely } from 'kysely';
import { ActionCause, ActionStatus } from '../common/constants.js';
import type { RequestContext } from '../common/context.js';
import { ActionConflict, ActionCooldown, ResourceIsLocked } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { fromDbBool, fromDbTime } from '../db/codec.js';
import { activeActionsOn } from '../db/queries/action-state.js';
import type { ActionContext, ActionRecord } from '../db/queries/actions.js';
import { insertActions } from '../db/queries/actions.js';
import { getClusterLock, getNodeLock } from '../db/queries/locks.js';
import type { Database } from '../db/schema.js';

/** What describes a new action. */
export interface NewAction {
  /** e.g. `cluster_scale_out_1a2b3c4d`. */
  readonly name: string;
  readonly action: string;
  /** Cluster or node id. */
  readonly target: string;
  /** Cluster of the target (`''` for orphan nodes). */
  readonly clusterId: string;
  readonly cause?: string;
  readonly inputs?: Record<string, unknown>;
  readonly data?: Record<string, unknown>;
  /** Seconds; cluster actions pass the cluster's timeout. */
  readonly timeout: number;
  /** READY (default) for requests, INIT for children that a parent releases later. */
  readonly status?: string;
  readonly statusReason?: string;
}

const BYPASS = ['CLUSTER_DELETE', 'NODE_DELETE', 'NODE_OPERATION'];
const SCALING = ['CLUSTER_SCALE_IN', 'CLUSTER_SCALE_OUT'];

/** The reduced context stored with an action (what it runs with later). */
export function actionContext(ctx: RequestContext): ActionContext {
  return {
    user_id: ctx.userId,
    project_id: ctx.projectId,
    domain_id: ctx.domainId,
    is_admin: ctx.isAdmin,
    request_id: ctx.requestId,
    trusts: ctx.trusts,
  };
}

/** A new action record (not stored). */
export function buildAction(context: ActionContext, spec: NewAction, now: Date): ActionRecord {
  return {
    id: newId(),
    name: spec.name,
    clusterId: spec.clusterId,
    context,
    target: spec.target,
    action: spec.action,
    cause: spec.cause ?? ActionCause.RPC,
    owner: null,
    interval: -1,
    startTime: null,
    endTime: null,
    timeout: spec.timeout,
    control: null,
    status: spec.status ?? ActionStatus.READY,
    statusReason: spec.statusReason ?? '',
    inputs: spec.inputs ?? {},
    outputs: {},
    data: spec.data ?? {},
    createdAt: now,
    updatedAt: null,
    user: context.user_id,
    project: context.project_id,
    domain: context.domain_id,
  };
}

async function checkCooldown(trx: Kysely<Database>, spec: NewAction, now: Date): Promise<void> {
  const rows = await trx
    .selectFrom('cluster_policy')
    .innerJoin('policy', 'policy.id', 'cluster_policy.policy_id')
    .select([
      'cluster_policy.enabled',
      'cluster_policy.last_op',
      'policy.id as policy_id',
      'policy.type',
      'policy.spec',
    ])
    .where('cluster_policy.cluster_id', '=', spec.target)
    .orderBy('cluster_policy.priority')
    .execute();
  for (const row of rows) {
    if (!fromDbBool(row.enabled) || !row.type?.startsWith('senlin.policy.scaling-')) continue;
    const props =
      ((row.spec ? JSON.parse(row.spec) : {}) as { properties?: Record<string, unknown> })
        .properties ?? {};
    const adjustment = (props.adjustment ?? {}) as Record<string, unknown>;
    const cooldown = Number(adjustment.cooldown ?? 0);
    const lastOp = fromDbTime(row.last_op);
    if (props.event !== spec.action || !lastOp || !(cooldown > 0)) continue;
    if (now.getTime() - lastOp.getTime() < cooldown * 1000) {
      throw new ActionCooldown(spec.action, spec.target, row.policy_id);
    }
  }
}

/** Runs the admission checks of a new action; throws the 409 errors. */
export async function admitAction(
  trx: Kysely<Database>,
  spec: NewAction,
  now: Date,
  force = false,
): Promise<void> {
  const isCluster = spec.action.startsWith('CLUSTER_');
  if (!force && !BYPASS.includes(spec.action)) {
    if (isCluster && (await getClusterLock(trx, spec.target))) {
      throw new ResourceIsLocked(spec.action, 'cluster', spec.target);
    }
    if (spec.action.startsWith('NODE_') && (await getNodeLock(trx, spec.target)) !== null) {
      throw new ResourceIsLocked(spec.action, 'node', spec.target);
    }
    const conflicts = await activeActionsOn(trx, spec.target);
    if (conflicts.length > 0) throw new ActionConflict(spec.action, spec.target, conflicts);
  }
  if (SCALING.includes(spec.action)) {
    const scaling = await activeActionsOn(trx, spec.target, SCALING);
    if (scaling.length > 0) throw new ActionConflict(spec.action, spec.target, scaling);
    await checkCooldown(trx, spec, now);
  }
}

/** Admits and stores a new action; returns it. Run inside a transaction. */
export async function createAction(
  trx: Kysely<Database>,
  context: ActionContext,
  spec: NewAction,
  now: Date,
  options: { force?: boolean } = {},
): Promise<ActionRecord> {
  await admitAction(trx, spec, now, options.force);
  const action = buildAction(context, spec, now);
  await insertActions(trx, [action]);
  return action;
}
