/**
 * Webhook triggers. The trigger URL carries no token: knowing the receiver's id is what
 * authorises the call (upstream reached the same through the trust stored with the
 * receiver). The action runs as the receiver's owner with the receiver's trust.
 */
import type { ApiVersion } from '../common/api-version.js';
import { RequestContext } from '../common/context.js';
import { BadRequest, ResourceNotFound } from '../common/errors.js';
import { isUuidLike } from '../common/ids.js';
import { getCluster } from '../db/queries/clusters.js';
import { getReceiver } from '../db/queries/receivers.js';
import { actionContext, createAction } from '../engine/action-create.js';
import { short } from '../engine/services.js';
import type { ConductorDeps } from './deps.js';
import { findReferenced } from './node-lookup.js';

/** Who a trigger acts as when the receiver's trust was verified (the trustor). */
export interface WebhookActing {
  readonly userId: string;
  readonly projectId: string;
  readonly domainId: string | null;
}

/** What a trigger request carries besides the receiver id. */
export interface WebhookTriggerInput {
  /** Inputs given with the request (they override the receiver's params); null for none. */
  readonly params: Readonly<Record<string, unknown>> | null;
  readonly requestId: string;
  readonly apiVersion: ApiVersion;
  /**
   * The identity of the receiver's trust, when Keystone vouched for it (auth_strategy =
   * keystone); without it the action runs as the receiver's owner.
   */
  readonly acting?: WebhookActing | null;
}

/** Webhook operations bound to their dependencies. */
export function webhookOperations(deps: ConductorDeps) {
  const { db } = deps;

  return {
    /**
     * Starts the receiver's action on its cluster; inputs are the receiver's params updated
     * with the request's. The receiver is looked up by its exact id only: names and short
     * ids are guessable, the id is the secret of the URL. Returns the action id.
     */
    async trigger(receiverId: string, input: WebhookTriggerInput): Promise<string> {
      const receiver = isUuidLike(receiverId)
        ? await db.retry((k) => getReceiver(k, receiverId))
        : undefined;
      if (receiver?.type !== 'webhook') {
        throw new ResourceNotFound('receiver', receiverId);
      }
      const trust = receiver.actor.trust_id;
      const acting = input.acting ?? {
        userId: receiver.user,
        projectId: receiver.project,
        domainId: receiver.domain,
      };
      const ctx = new RequestContext({
        ...acting,
        roles: [],
        isAdmin: false,
        trusts: typeof trust === 'string' ? trust : null,
        requestId: input.requestId,
        apiVersion: input.apiVersion,
      });
      // The receiver holds the exact id of a cluster its creator was allowed to target (an
      // admin may target any project's cluster), so it is looked up by that id alone.
      const clusterId = receiver.clusterId ?? '';
      const cluster = await findReferenced('referenced', async () => {
        const found = await db.retry((k) => getCluster(k, clusterId));
        if (!found) throw new ResourceNotFound('cluster', clusterId);
        return found;
      });
      if (!receiver.action) throw new BadRequest('The receiver has no action to trigger');
      const action = receiver.action;
      const inputs = { ...receiver.params, ...(input.params ?? {}) };
      const created = await db.transaction((trx) =>
        createAction(
          trx,
          actionContext(ctx),
          {
            name: `webhook_${short(receiver.id)}`,
            action,
            target: cluster.id,
            clusterId: cluster.id,
            inputs,
            timeout: cluster.timeout,
          },
          deps.now(),
        ),
      );
      deps.bus.ready();
      return created.id;
    },
  };
}

/** The type of the webhook operations object. */
export type WebhookOperations = ReturnType<typeof webhookOperations>;
