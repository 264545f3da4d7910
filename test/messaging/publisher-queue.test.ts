/**
 * The notification queue while no broker can be reached: publishing never blocks or throws,
 * the queue keeps the newest messages up to its bound, and closing does not wait for ever.
 */
import { describe, expect, it } from 'vitest';
import { AmqpPublisher } from '../../src/messaging/amqp-publisher.js';
import { AmqpConnection } from '../../src/messaging/connection.js';
import { parseTransportUrl } from '../../src/messaging/transport-url.js';
import { testLogger } from './support.js';

describe('the notification queue without a broker', () => {
  it('keeps the newest messages up to its bound and drops the oldest', async () => {
    // Port 1 on the loopback refuses connections: the broker is "down".
    const connection = new AmqpConnection({
      transport: parseTransportUrl('rabbit://guest:guest@127.0.0.1:1/'),
      retry: { intervalMs: 50, backoffMs: 0, maxMs: 50 },
      heartbeatSeconds: 0,
      logger: testLogger(),
      name: 'test',
    });
    const publisher = new AmqpPublisher({
      connection,
      flags: { durable: false, autoDelete: false },
      maxQueued: 3,
      maxAttempts: null,
      logger: testLogger(),
    });
    for (let i = 0; i < 5; i++) publisher.publish('x', 't.info', Buffer.from(String(i)));
    expect(publisher.queued).toBe(3);
    expect(publisher.dropped).toBe(2);
    expect(connection.connected).toBe(false);
    // Closing gives up on what could not be delivered instead of waiting for the broker.
    await publisher.close(200);
    expect(publisher.queued).toBe(3);
    await connection.close();
  });
});
