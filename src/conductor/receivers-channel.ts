/**
 * Receiver channels: the `alarm_url` of webhooks, and the Zaqar queue with its push
 * subscription of message receivers (created with the receiver, released with it).
 */
import type { RequestContext } from '../common/context.js';
import { EResourceCreation } from '../common/errors.js';
import { pyStr } from '../common/py-repr.js';
import type { CloudDrivers } from '../drivers/types.js';
import { driversFor } from '../engine/profile-context.js';
import type { ConductorDeps } from './deps.js';

/** Who a receiver's cloud calls act for. */
export interface ReceiverOwner {
  readonly user: string;
  readonly project: string;
}

/** Python's `urllib.parse.quote_plus`: unreserved characters kept, spaces as `+`. */
export function quotePlus(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function reason(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\.+$/, '');
}

/**
 * Where receivers are reached: `http://<[receiver] host>:<[receiver] port>/v1` when the host
 * is configured, else the clustering endpoint of the Keystone catalog (with `/v1` added when
 * it has none), else `http://<[DEFAULT] host>:<[receiver] port>/v1`.
 */
export async function receiverBaseUrl(deps: ConductorDeps, owner: ReceiverOwner): Promise<string> {
  const { host, port } = deps.config.receiver;
  if (host) return `http://${host}:${port}/v1`;
  let endpoint: string | null = null;
  try {
    endpoint = await (await driversFor(deps, owner)).identity.clusteringEndpoint();
  } catch (err) {
    deps.logger.warn(`clustering endpoint not found in the catalog: ${reason(err)}`);
  }
  if (endpoint) {
    const trimmed = endpoint.replace(/\/+$/, '');
    return trimmed.includes('v1') ? trimmed : `${trimmed}/v1`;
  }
  deps.logger.warn(
    '[receiver] host is not set and the catalog has no clustering endpoint: receiver URLs use [DEFAULT] host',
  );
  return `http://${deps.config.DEFAULT.host}:${port}/v1`;
}

/**
 * The trigger URL of a webhook: `<base>/webhooks/<id>/trigger?V=2`, followed by the params
 * url-encoded in key order (they document the defaults; the trigger does not read them).
 */
export function alarmUrl(
  base: string,
  id: string,
  params: Readonly<Record<string, unknown>>,
): string {
  const query = Object.keys(params)
    .sort()
    .map((k) => `${quotePlus(k)}=${quotePlus(pyStr(params[k]))}`)
    .join('&');
  return `${base}/webhooks/${id}/trigger?V=2${query ? `&${query}` : ''}`;
}

/** The queue of a message receiver. */
export function queueName(receiverId: string): string {
  return `senlin-receiver-${receiverId}`;
}

/** Roles delegated to the Zaqar trustee: the caller's, without `admin` unless it is the only one. */
function delegatedRoles(roles: readonly string[]): string[] {
  return roles.length > 1 ? roles.filter((r) => r !== 'admin') : [...roles];
}

async function zaqarTrust(
  deps: ConductorDeps,
  drivers: CloudDrivers,
  ctx: RequestContext,
  owner: ReceiverOwner,
): Promise<string> {
  try {
    const trustee = deps.config.zaqar.user_id ?? (await drivers.identity.serviceUserId());
    const found = await drivers.identity.findTrust(owner.user, trustee, owner.project);
    if (found) return found.id;
    const created = await drivers.identity.createTrust({
      trustorUserId: owner.user,
      trusteeUserId: trustee,
      projectId: owner.project,
      roles: delegatedRoles(ctx.roles),
    });
    return created.id;
  } catch (err) {
    throw new EResourceCreation('trust', reason(err));
  }
}

/**
 * Creates the queue of a message receiver and subscribes the receiver's notify URL to it
 * (through a trust from the owner to the Zaqar trustee user). Returns the channel.
 */
export async function createMessageChannel(
  deps: ConductorDeps,
  ctx: RequestContext,
  receiverId: string,
  owner: ReceiverOwner,
): Promise<{ queue_name: string; subscription: string }> {
  const drivers = await driversFor(deps, owner);
  const queue = queueName(receiverId);
  try {
    await drivers.message.createQueue(queue, {
      maxMessagesPostSize: deps.config.receiver.max_message_size,
      description: `Senlin receiver ${receiverId}.`,
    });
  } catch (err) {
    throw new EResourceCreation('queue', reason(err));
  }
  try {
    const subscriber = `trust+${await receiverBaseUrl(deps, owner)}/receivers/${receiverId}/notify`;
    const trustId = await zaqarTrust(deps, drivers, ctx, owner);
    let subscription: string;
    try {
      subscription = await drivers.message.createSubscription(queue, {
        subscriber,
        ttl: 2 ** 36,
        options: { trust_id: trustId },
      });
    } catch (err) {
      throw new EResourceCreation('subscription', reason(err));
    }
    return { queue_name: queue, subscription };
  } catch (err) {
    // Do not leave the queue behind a receiver that was never stored.
    await drivers.message.deleteQueue(queue).catch(() => undefined);
    throw err;
  }
}

export { releaseMessageChannel } from '../engine/receiver-channel.js';
