/** The Zaqar part of the driver contract: queues, messages, claims and subscriptions. */
import { afterEach, expect, it } from 'vitest';
import { type ServicesTargetRef, serviceName } from './services-target.js';
import { Cleanup } from './target.js';

/** Registers the Zaqar scenarios. */
export function messageScenarios(target: ServicesTargetRef): void {
  let cleanup = new Cleanup();
  afterEach(async () => {
    const failures = await cleanup.run();
    cleanup = new Cleanup();
    expect(failures).toEqual([]);
  });

  it('makes and deletes a queue', async () => {
    const t = target();
    const zaqar = t.drivers.message;
    const queue = serviceName(t, 'queue');
    expect(await zaqar.queueExists(queue)).toBe(false);
    await zaqar.createQueue(queue, { maxMessagesPostSize: 65535, description: 'contract' });
    cleanup.add(() => zaqar.deleteQueue(queue));
    expect(await zaqar.queueExists(queue)).toBe(true);
    expect(await zaqar.queueExists(`${queue}-other`)).toBe(false);
    await zaqar.deleteQueue(queue);
    expect(await zaqar.queueExists(queue)).toBe(false);
  });

  it('claims posted messages once, and again after the claim is released', async () => {
    const t = target();
    const zaqar = t.drivers.message;
    const queue = serviceName(t, 'claims');
    await zaqar.createQueue(queue);
    cleanup.add(() => zaqar.deleteQueue(queue));
    expect(await zaqar.claimMessages(queue)).toEqual({ claimId: null, messages: [] });

    const ids = await zaqar.postMessages(queue, [
      { body: { n: 1 }, ttl: 300 },
      { body: { n: 2 }, ttl: 300 },
    ]);
    expect(ids).toHaveLength(2);

    const first = await zaqar.claimMessages(queue, { limit: 1, ttl: 60, grace: 60 });
    expect(first.claimId).toBeTruthy();
    expect(first.messages.map((m) => m.body)).toEqual([{ n: 1 }]);
    expect(first.messages[0]?.id).toBe(ids[0]);
    const second = await zaqar.claimMessages(queue, { limit: 10, ttl: 60, grace: 60 });
    expect(second.messages.map((m) => m.body)).toEqual([{ n: 2 }]);
    expect(second.claimId).not.toBe(first.claimId);
    expect((await zaqar.claimMessages(queue)).messages).toEqual([]);

    await zaqar.deleteMessage(queue, String(first.messages[0]?.id), first.claimId);
    await zaqar.deleteClaim(queue, String(second.claimId));
    const again = await zaqar.claimMessages(queue, { limit: 10, ttl: 60, grace: 60 });
    expect(again.messages.map((m) => m.body)).toEqual([{ n: 2 }]);
  });

  it('adds and removes a subscription of a queue', async () => {
    const t = target();
    const zaqar = t.drivers.message;
    const queue = serviceName(t, 'subs');
    await zaqar.createQueue(queue);
    cleanup.add(() => zaqar.deleteQueue(queue));
    const id = await zaqar.createSubscription(queue, {
      subscriber: 'mailto:nobody@example.com',
      ttl: 3600,
      options: { from: 'senlin-ts contract' },
    });
    expect(id).toBeTruthy();
    await zaqar.deleteSubscription(queue, id);
  });
}
