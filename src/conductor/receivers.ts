/** Receiver operations: list, create, show, update, delete and notify. */
import type { RequestContext } from '../common/context.js';
import { BadRequest, Forbidden } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { listRows } from '../db/listing.js';
import type { ClusterRecord } from '../db/queries/clusters.js';
import { getTrustId } from '../db/queries/credentials.js';
import { findRow, nameTaken } from '../db/queries/find.js';
import type { ReceiverRecord } from '../db/queries/receivers.js';
import {
  decodeReceiver,
  deleteReceiverRow,
  insertReceiver,
  updateReceiver,
} from '../db/queries/receivers.js';
import type { ConductorDeps } from './deps.js';
import { owner, projectScope } from './deps.js';
import type { ListRequest } from './list-request.js';
import { findCluster, findReferenced, jsonEqual } from './node-lookup.js';
import {
  alarmUrl,
  createMessageChannel,
  receiverBaseUrl,
  releaseMessageChannel,
} from './receivers-channel.js';
import { notifyMessageReceiver } from './receivers-notify.js';

/** Arguments of receiver create. */
export interface ReceiverCreateInput {
  name: string;
  type: 'webhook' | 'message';
  clusterId?: string | null;
  action?: string | null;
  params?: Record<string, unknown> | null;
}

/** Arguments of receiver update (absent or null keys are not changed). */
export interface ReceiverUpdateInput {
  name?: string | null;
  action?: string | null;
  params?: Record<string, unknown> | null;
}

/** Receiver operations bound to their dependencies. */
export function receiverOperations(deps: ConductorDeps) {
  const { db } = deps;

  async function find(ctx: RequestContext, identity: string): Promise<ReceiverRecord> {
    const row = await db.retry((k) =>
      findRow(k, 'receiver', identity, { kind: 'receiver', project: projectScope(ctx) }),
    );
    return decodeReceiver(row);
  }

  /** The webhook target: cluster and action checked as upstream does, in its order. */
  async function webhookTarget(
    ctx: RequestContext,
    input: ReceiverCreateInput,
  ): Promise<{ cluster: ClusterRecord; action: string }> {
    if (input.clusterId === undefined || input.clusterId === null) {
      throw new BadRequest('Cluster identity is required for creating webhook receiver.');
    }
    if (input.action === undefined || input.action === null) {
      throw new BadRequest('Action name is required for creating webhook receiver.');
    }
    if (input.action === 'CLUSTER_CREATE') {
      throw new BadRequest("Action name cannot be any of ['CLUSTER_CREATE'].");
    }
    const identity = input.clusterId;
    const cluster = await findReferenced(
      'referenced',
      () => db.retry((k) => findCluster(k, ctx, identity)),
      { ambiguous: true },
    );
    if (!ctx.isAdmin && ctx.userId !== cluster.user) throw new Forbidden();
    return { cluster, action: input.action };
  }

  return {
    /** Lists the caller's receivers (every project's for admins). */
    async list(ctx: RequestContext, req: ListRequest): Promise<ReceiverRecord[]> {
      const project = projectScope(ctx, req.projectSafe);
      const rows = await db.retry((k) => listRows(k, db.dialect, 'receiver', { ...req, project }));
      return rows.map(decodeReceiver);
    },

    /**
     * Creates a receiver. Webhooks target a cluster the caller owns (admins: any) and act
     * with the caller's trust (admins: the trust of the cluster's owner); message receivers
     * get a Zaqar queue subscribed to their notify URL.
     */
    async create(ctx: RequestContext, input: ReceiverCreateInput): Promise<ReceiverRecord> {
      const who = owner(ctx);
      if (
        deps.config.DEFAULT.name_unique &&
        (await db.retry((k) => nameTaken(k, 'receiver', who.project, input.name)))
      ) {
        throw new BadRequest(`A receiver named '${input.name}' already exists.`);
      }
      const id = newId();
      const params = input.params ?? {};
      let record: ReceiverRecord;
      if (input.type === 'webhook') {
        const { cluster, action } = await webhookTarget(ctx, input);
        const trustId = ctx.isAdmin
          ? await db.retry((k) => getTrustId(k, cluster.user, cluster.project))
          : ctx.trusts;
        const base = await receiverBaseUrl(deps, who);
        record = {
          id,
          name: input.name,
          type: 'webhook',
          ...who,
          createdAt: deps.now(),
          updatedAt: null,
          clusterId: cluster.id,
          actor: { trust_id: trustId },
          action,
          params,
          channel: { alarm_url: alarmUrl(base, id, params) },
        };
      } else {
        const channel = await createMessageChannel(deps, ctx, id, who);
        record = {
          id,
          name: input.name,
          type: 'message',
          ...who,
          createdAt: deps.now(),
          updatedAt: null,
          clusterId: null,
          actor: { trust_id: ctx.trusts },
          action: null,
          params,
          channel,
        };
      }
      await db.retry((k) => insertReceiver(k, record));
      return record;
    },

    /** Shows one receiver. */
    get: find,

    /**
     * Changes the name, action or params of a receiver (nulls and unchanged values are
     * ignored; 400 when nothing changes). The channel is kept as it was, so a webhook's
     * `alarm_url` still shows the params it was created with.
     */
    async update(
      ctx: RequestContext,
      identity: string,
      input: ReceiverUpdateInput,
    ): Promise<ReceiverRecord> {
      const receiver = await find(ctx, identity);
      const changes: { name?: string; action?: string; params?: Record<string, unknown> } = {};
      if (input.name != null && input.name !== receiver.name) changes.name = input.name;
      if (input.action != null && input.action !== receiver.action) changes.action = input.action;
      if (input.params != null && !jsonEqual(input.params, receiver.params)) {
        changes.params = input.params;
      }
      if (Object.keys(changes).length === 0) throw new BadRequest('No property needs an update.');
      const updatedAt = deps.now();
      await db.retry((k) => updateReceiver(k, receiver.id, { ...changes, updatedAt }));
      return { ...receiver, ...changes, updatedAt };
    },

    /** Deletes a receiver, releasing the queue of a message receiver first. */
    async delete(ctx: RequestContext, identity: string): Promise<void> {
      const receiver = await find(ctx, identity);
      if (receiver.type === 'message') await releaseMessageChannel(deps, receiver);
      await db.retry((k) => deleteReceiverRow(k, receiver.id));
    },

    /**
     * Handles a notification to a message receiver (its owner or an admin only): claims the
     * queued messages and starts their actions. Returns the action ids.
     */
    async notify(ctx: RequestContext, identity: string): Promise<string[]> {
      const receiver = await find(ctx, identity);
      if (!ctx.isAdmin && ctx.userId !== receiver.user) throw new Forbidden();
      if (receiver.type !== 'message') {
        throw new BadRequest('Notifying non-message receiver is not allowed.');
      }
      return notifyMessageReceiver(deps, ctx, receiver);
    },
  };
}

/** The type of the receiver operations object. */
export type ReceiverOperations = ReturnType<typeof receiverOperations>;
