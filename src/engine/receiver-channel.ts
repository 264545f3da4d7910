/** Releasing the Zaqar queue and subscription of a message receiver. */
import { EResourceDeletion } from '../common/errors.js';
import type { ReceiverRecord } from '../db/queries/receivers.js';
import { CloudNotFound } from '../drivers/types.js';
import { driversFor } from './profile-context.js';
import type { EngineServices } from './services.js';

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Deletes the subscription and the queue of a message receiver (missing ones are fine). */
export async function releaseMessageChannel(
  deps: EngineServices,
  receiver: ReceiverRecord,
): Promise<void> {
  const queue = receiver.channel.queue_name;
  if (typeof queue !== 'string' || queue === '') return;
  const drivers = await driversFor(deps, receiver);
  const subscription = receiver.channel.subscription;
  if (typeof subscription === 'string' && subscription !== '') {
    try {
      await drivers.message.deleteSubscription(queue, subscription);
    } catch (err) {
      if (!(err instanceof CloudNotFound)) {
        throw new EResourceDeletion('subscription', subscription, reason(err));
      }
    }
  }
  try {
    await drivers.message.deleteQueue(queue);
  } catch (err) {
    if (!(err instanceof CloudNotFound)) throw new EResourceDeletion('queue', queue, reason(err));
  }
}
