/** Wire shape of receivers. */
import { isoZ } from '../../common/time.js';
import type { ReceiverRecord } from '../../db/queries/receivers.js';

/** A receiver as the API returns it (a message receiver's subscription id stays hidden). */
export function receiverView(r: ReceiverRecord): Record<string, unknown> {
  const { subscription: _hidden, ...visible } = r.channel;
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    user: r.user,
    project: r.project,
    domain: r.domain,
    created_at: isoZ(r.createdAt),
    updated_at: isoZ(r.updatedAt),
    cluster_id: r.clusterId,
    actor: r.actor,
    action: r.action,
    params: r.params,
    channel: r.type === 'message' ? visible : r.channel,
  };
}
