/**
 * Deletion with lifecycle hooks (engine contract §3.13): each node to delete gets a child
 * action that waits (WAITING_LIFECYCLE_COMPLETION) until the user completes the lifecycle
 * (`complete_lifecycle` with the child's id as token) or the hook times out; a message with
 * the token is posted to the Zaqar queue named by the deletion policy.
 */
import { ActionCause } from '../../../common/constants.js';
import { addDependencies } from '../../../db/queries/action-state.js';
import { insertActions } from '../../../db/queries/actions.js';
import { getNode } from '../../../db/queries/nodes.js';
import type { NewAction } from '../../action-create.js';
import { buildAction } from '../../action-create.js';
import type { ActionResult, Execution } from '../../execution.js';
import { error } from '../../execution.js';
import { driversFor } from '../../profile-context.js';

/** Lifecycle hook settings written by the deletion policy into `data.hooks`. */
export interface LifecycleHooks {
  type?: string;
  params?: { queue?: string; url?: string };
  timeout?: number;
}

async function postToken(
  x: Execution,
  hooks: LifecycleHooks,
  childId: string,
  nodeId: string,
  resourceId: string,
): Promise<void> {
  const queue = hooks.params?.queue ?? '';
  const owner = { user: x.action.user ?? '', project: x.action.project ?? '' };
  const drivers = await driversFor(x.svc, owner);
  if (!(await drivers.message.queueExists(queue))) {
    await drivers.message.createQueue(queue, {
      maxMessagesPostSize: x.svc.config.notification.max_message_size,
    });
  }
  const body = {
    lifecycle_action_token: childId,
    node_id: nodeId,
    resource_id: resourceId,
    lifecycle_transition_type: 'termination',
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await drivers.message.postMessages(queue, [{ body, ttl: x.svc.config.notification.ttl }]);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await x.sleep(attempt);
    }
  }
}

/** Runs deletion children through lifecycle hooks and waits for them. */
export async function runWithHooks(
  x: Execution,
  hooks: LifecycleHooks,
  children: readonly Omit<NewAction, 'status'>[],
): Promise<ActionResult> {
  if ((hooks.type ?? 'zaqar') !== 'zaqar')
    return error(`Lifecycle hook type '${hooks.type}' is not implemented`);
  const { svc, action } = x;
  const context = action.context ?? {
    user_id: action.user,
    project_id: action.project,
    domain_id: action.domain,
    is_admin: false,
    request_id: null,
    trusts: null,
  };
  const now = svc.now();
  const records = children.map((c) =>
    buildAction(context, { cause: ActionCause.DERIVED_LCH, ...c, status: 'INIT' }, now),
  );
  await svc.db.transaction(async (trx) => {
    await insertActions(trx, records);
    await addDependencies(
      trx,
      records.map((r) => r.id),
      action.id,
    );
  });
  const hooked: string[] = [];
  for (const child of records) {
    const node = await svc.db.retry((k) => getNode(k, child.target));
    if (node && node.status === 'ACTIVE' && node.physicalId) {
      await svc.db.retry((k) =>
        k
          .updateTable('action')
          .set({ status: 'WAITING_LIFECYCLE_COMPLETION', owner: svc.engineId })
          .where('id', '=', child.id)
          .execute(),
      );
      hooked.push(child.id);
      try {
        await postToken(x, hooks, child.id, node.id, node.physicalId);
      } catch (err) {
        svc.logger.warn({ err, action: child.id }, 'lifecycle hook message could not be posted');
      }
    } else {
      await svc.db.retry((k) =>
        k.updateTable('action').set({ status: 'READY' }).where('id', '=', child.id).execute(),
      );
    }
  }
  svc.bus.ready();
  const started = (action.startTime ?? now.getTime() / 1000) * 1000;
  const deadline = started + Number(hooks.timeout ?? 0) * 1000;
  const expire = async () => {
    await svc.db.retry((k) =>
      k
        .updateTable('action')
        .set({ status: 'READY', owner: null, status_reason: 'Lifecycle hook timeout.' })
        .where('id', 'in', hooked.length > 0 ? hooked : [''])
        .where('status', '=', 'WAITING_LIFECYCLE_COMPLETION')
        .execute(),
    );
    svc.bus.ready();
  };
  const remaining = deadline - svc.now().getTime();
  if (hooked.length > 0) {
    if (remaining <= 0) await expire();
    else {
      const timer = setTimeout(() => void expire(), remaining);
      try {
        return await x.waitForChildren();
      } finally {
        clearTimeout(timer);
        await expire();
      }
    }
  }
  return x.waitForChildren();
}
