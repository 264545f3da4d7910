/**
 * Notifications of message receivers: Zaqar pushes to `POST /v1/receivers/{id}/notify`, and
 * the receiver claims the queued messages and starts one action per valid message.
 */

import { CLUSTER_ACTIONS } from '../common/constants.js';
import type { RequestContext } from '../common/context.js';
import type { ClusterRecord } from '../db/queries/clusters.js';
import type { ReceiverRecord } from '../db/queries/receivers.js';
import type { QueueMessage } from '../drivers/types.js';
import { createAction } from '../engine/action-create.js';
import { driversFor } from '../engine/profile-context.js';
import { short } from '../engine/services.js';
import type { ConductorDeps } from './deps.js';
import { findCluster } from './node-lookup.js';

/** A message that cannot become an action (logged, then deleted). */
class InvalidMessage extends Error {}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function messageCluster(
  deps: ConductorDeps,
  ctx: RequestContext,
  identity: string,
): Promise<ClusterRecord> {
  try {
    return await deps.db.retry((k) => findCluster(k, ctx, identity));
  } catch {
    throw new InvalidMessage(`Cluster (${identity}) cannot be found.`);
  }
}

/**
 * Starts the action a message asks for: `{cluster, action, params}`, on a cluster the
 * receiver's owner may act on (admins: any). The action runs as the receiver's owner and
 * records the cluster it targets.
 */
async function actionFromMessage(
  deps: ConductorDeps,
  ctx: RequestContext,
  receiver: ReceiverRecord,
  message: QueueMessage,
): Promise<string> {
  const body = message.body;
  if (!body || (isMap(body) && Object.keys(body).length === 0)) {
    throw new InvalidMessage('Message body is empty.');
  }
  const cluster = isMap(body) ? body.cluster : undefined;
  const action = isMap(body) ? body.action : undefined;
  const params = isMap(body) ? (body.params ?? {}) : {};
  if (!cluster || !action || typeof cluster !== 'string' || typeof action !== 'string') {
    throw new InvalidMessage('Both cluster identity and action must be specified.');
  }
  const target = await messageCluster(deps, ctx, cluster);
  if (!ctx.isAdmin && receiver.user !== target.user) {
    throw new InvalidMessage(
      `${receiver.user} is not allowed to trigger actions on cluster ${cluster}.`,
    );
  }
  if (!(CLUSTER_ACTIONS as readonly string[]).includes(action)) {
    throw new InvalidMessage(`Illegal cluster action '${action}' specified.`);
  }
  if (!isMap(params)) throw new InvalidMessage('The params of a message must be a map.');
  const trust = receiver.actor.trust_id;
  const context = {
    user_id: receiver.user,
    project_id: receiver.project,
    domain_id: receiver.domain,
    is_admin: ctx.isAdmin,
    request_id: ctx.requestId,
    trusts: typeof trust === 'string' ? trust : ctx.trusts,
  };
  const created = await deps.db.transaction((trx) =>
    createAction(
      trx,
      context,
      {
        name: `receiver_${short(receiver.id)}_${short(message.id)}`,
        action,
        target: target.id,
        // Upstream leaves the column empty; the action belongs to the cluster it targets.
        clusterId: target.id,
        inputs: params,
        timeout: target.timeout,
      },
      deps.now(),
    ),
  );
  return created.id;
}

/**
 * Claims the messages queued for a message receiver and starts one action per valid
 * message. Every claimed message is deleted, valid or not. Returns the action ids.
 */
export async function notifyMessageReceiver(
  deps: ConductorDeps,
  ctx: RequestContext,
  receiver: ReceiverRecord,
): Promise<string[]> {
  const queue = receiver.channel.queue_name;
  if (typeof queue !== 'string' || queue === '') return [];
  const { logger } = deps;
  const drivers = await driversFor(deps, receiver);
  let claim: Awaited<ReturnType<typeof drivers.message.claimMessages>>;
  try {
    claim = await drivers.message.claimMessages(queue);
  } catch (err) {
    logger.error({ err, receiver: receiver.id }, 'failed in claiming messages');
    return [];
  }
  if (claim.messages.length === 0) return [];
  const actions: string[] = [];
  for (const message of claim.messages) {
    try {
      actions.push(await actionFromMessage(deps, ctx, receiver, message));
    } catch (err) {
      logger.error(
        { err, receiver: receiver.id, message: message.id },
        'failed in building action',
      );
    }
    try {
      await drivers.message.deleteMessage(queue, message.id, claim.claimId);
    } catch (err) {
      logger.error({ err, message: message.id }, 'failed in deleting message');
    }
  }
  if (claim.claimId) {
    const claimId = claim.claimId;
    await drivers.message.deleteClaim(queue, claimId).catch((err: unknown) => {
      logger.error({ err, claim: claimId }, 'failed in deleting claim');
    });
  }
  if (actions.length > 0) deps.bus.ready();
  logger.info({ receiver: receiver.id, actions }, 'actions built from receiver messages');
  return actions;
}
