/**
 * Credentials: the Keystone trust each user gave senlin's service user in a project, stored
 * in the `credential` table by the API's trust middleware and read when work is done later on
 * the user's behalf (deferred actions, webhook triggers, health recovery).
 */
import { isUuidLike } from '../common/ids.js';
import { getTrustId, replaceReceiverTrust, upsertCredential } from '../db/queries/credentials.js';
import { getReceiver } from '../db/queries/receivers.js';
import type { ConductorDeps } from './deps.js';

/** Who a webhook receiver acts for: its owner and the trust stored with it. */
export interface WebhookActor {
  readonly receiverId: string;
  readonly user: string;
  readonly project: string;
  /** The trust the trigger acts with; null when the receiver has none. */
  readonly trustId: string | null;
}

/** Credential operations bound to their dependencies. */
export function credentialOperations(deps: ConductorDeps) {
  const { db } = deps;

  return {
    /** The trust stored for a user in a project, or null. */
    trustOf(user: string, project: string): Promise<string | null> {
      return db.retry((k) => getTrustId(k, user, project));
    },

    /**
     * Stores the trust of a user in a project. When it replaces `replaced` (a trust Keystone
     * no longer knows), the webhook receivers acting with the old trust move to the new one,
     * in the same transaction.
     */
    async saveTrust(
      user: string,
      project: string,
      trustId: string,
      replaced: string | null = null,
    ): Promise<void> {
      await db.transaction(async (trx) => {
        await upsertCredential(trx, user, project, trustId);
        if (replaced !== null && replaced !== trustId) {
          await replaceReceiverTrust(trx, replaced, trustId);
        }
      });
    },

    /**
     * The actor of the webhook receiver with exactly this id, or undefined when there is no
     * such webhook receiver (the trigger then answers 404 by itself).
     */
    async webhookActor(receiverId: string): Promise<WebhookActor | undefined> {
      if (!isUuidLike(receiverId)) return undefined;
      const receiver = await db.retry((k) => getReceiver(k, receiverId));
      if (receiver?.type !== 'webhook') return undefined;
      const trust = receiver.actor.trust_id;
      return {
        receiverId: receiver.id,
        user: receiver.user,
        project: receiver.project,
        trustId: typeof trust === 'string' && trust !== '' ? trust : null,
      };
    },
  };
}

/** The type of the credential operations object. */
export type CredentialOperations = ReturnType<typeof credentialOperations>;
