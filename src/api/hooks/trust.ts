/**
 * Trusts around authentication (`auth_strategy = keystone`): the trust of every authenticated
 * requester (upstream's `trust` middleware), and the identity a webhook trigger acts with,
 * obtained by authenticating senlin's service user with the receiver's trust (upstream's
 * `webhook` middleware).
 */
import type { FastifyRequest } from 'fastify';
import { Forbidden } from '../../common/errors.js';
import type { TrustBroker } from '../auth/trust-broker.js';
import type { Authenticator, Identity } from '../auth-types.js';
import { Unauthorized } from '../auth-types.js';

/** The route of webhook triggers (public: no token needed). */
export const WEBHOOK_TRIGGER_ROUTE = '/v1/webhooks/:webhook_id/trigger';

/** Who a webhook receiver acts for, as the conductor stores it. */
export interface WebhookActorLookup {
  webhookActor(receiverId: string): Promise<{ trustId: string | null } | undefined>;
}

/**
 * The trust of an authenticated requester, found or created by the broker. When Keystone
 * refuses the requester's token on the way (revoked since it was cached), the token is
 * dropped from the authenticator's cache too.
 */
export async function requesterTrust(
  broker: TrustBroker,
  authenticator: Authenticator,
  identity: Identity,
): Promise<string | null> {
  try {
    return await broker.ensure(identity);
  } catch (error) {
    if (error instanceof Unauthorized && identity.authToken) {
      authenticator.forget?.(identity.authToken);
    }
    throw error;
  }
}

function hasVersionParam(request: FastifyRequest): boolean {
  const v = (request.query as Record<string, unknown> | undefined)?.V;
  const values = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return values.some((value) => value !== '');
}

/**
 * For a webhook trigger: the identity of the receiver's trust (the trustor, its project and
 * the delegated roles, with `trustId` set). Null when the request is not a trigger, lacks
 * `V` or names no webhook receiver: the trigger itself then answers 400 or 404. A receiver
 * without a trust, or whose trust Keystone refuses, is a 403.
 */
export async function webhookIdentity(
  broker: TrustBroker,
  actors: WebhookActorLookup,
  request: FastifyRequest,
): Promise<Identity | null> {
  if (request.method !== 'POST' || request.routeOptions.url !== WEBHOOK_TRIGGER_ROUTE) {
    return null;
  }
  if (!hasVersionParam(request)) return null;
  const receiverId = (request.params as Record<string, string | undefined>).webhook_id ?? '';
  const actor = await actors.webhookActor(receiverId);
  if (actor === undefined) return null;
  if (actor.trustId === null) throw new Forbidden();
  const identity = await broker.actAs(actor.trustId);
  return { ...identity, trustId: actor.trustId };
}
