/**
 * Nova and Heat notifications read from RabbitMQ as a NotificationSource. One durable queue
 * per host, `senlin-listeners.<host>` (upstream's listener pool name, made per host so that
 * every health manager sees every event), is bound to each enabled service's exchange with
 * `<topic>.info`, `<topic>.warn` and `<topic>.error`. A message is acknowledged once every
 * subscriber has handled it; one whose handler failed is delivered once more. After a lost
 * connection is restored, `onReconnect` handlers are told that events may have been missed.
 */
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { Config } from '../config/options.js';
import type { ConnectionClient } from './connection.js';
import { AmqpConnection } from './connection.js';
import type { EntityFlags } from './declare.js';
import { bindQueue, declareQueue, declareTopicExchange } from './declare.js';
import { connectionSettings, notificationTransportUrl } from './notifier.js';
import { decodeNotification } from './oslo-envelope.js';
import { toResourceEvent } from './resource-events.js';
import type { NotificationSource, ResourceEvent } from './types.js';

/** One service whose notifications are read. */
export interface SourceEndpoint {
  readonly service: 'nova' | 'heat';
  readonly exchange: string;
  readonly topic: string;
}

/** How the source listens. */
export interface AmqpSourceOptions {
  readonly connection: AmqpConnection;
  readonly queue: string;
  readonly endpoints: readonly SourceEndpoint[];
  /** Flags the services' exchanges are declared with when they do not exist yet. */
  readonly exchangeFlags: EntityFlags;
  /** Milliseconds an unused queue lives on (0: for ever). */
  readonly queueExpiryMs: number;
  readonly logger: Logger;
}

type Handler = (event: ResourceEvent) => void | Promise<void>;

const PRIORITIES = ['info', 'warn', 'error'];
const PREFETCH = 10;

/** Resource events from RabbitMQ. */
export class AmqpNotificationSource implements NotificationSource, ConnectionClient {
  readonly #options: AmqpSourceOptions;
  readonly #handlers = new Set<Handler>();
  readonly #reconnectHandlers = new Set<() => void>();
  readonly #consumingWaiters = new Set<() => void>();
  readonly #detach: () => void;
  #channel: Channel | null = null;
  #closed = false;

  constructor(options: AmqpSourceOptions) {
    this.#options = options;
    this.#detach = options.connection.attach(this);
  }

  /** Whether the queue is being consumed right now. */
  get consuming(): boolean {
    return this.#channel !== null;
  }

  subscribe(handler: Handler): () => void {
    this.#handlers.add(handler);
    return () => {
      this.#handlers.delete(handler);
    };
  }

  /** Registers a handler called after a lost connection was restored; returns its removal. */
  onReconnect(handler: () => void): () => void {
    this.#reconnectHandlers.add(handler);
    return () => {
      this.#reconnectHandlers.delete(handler);
    };
  }

  /** Resolves once the queue is bound and consumed. */
  whenConsuming(): Promise<void> {
    if (this.#channel) return Promise.resolve();
    return new Promise((resolve) => this.#consumingWaiters.add(resolve));
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#detach();
    const channel = this.#channel;
    this.#channel = null;
    await channel?.close().catch(() => undefined);
    await this.#options.connection.close();
  }

  /** @internal ConnectionClient */
  async connected(model: ChannelModel, reconnected: boolean): Promise<void> {
    const { endpoints, queue, exchangeFlags, queueExpiryMs } = this.#options;
    const args = queueExpiryMs > 0 ? { 'x-expires': queueExpiryMs } : {};
    await declareQueue(model, queue, { durable: true, autoDelete: false }, args);
    for (const ep of endpoints) {
      await declareTopicExchange(model, ep.exchange, exchangeFlags);
      for (const priority of PRIORITIES) {
        await bindQueue(model, queue, ep.exchange, `${ep.topic}.${priority}`);
      }
    }
    const channel = await model.createChannel();
    channel.on('error', (err: Error) =>
      this.#options.logger.warn({ err: err.message }, 'notification listener channel error'),
    );
    await channel.prefetch(PREFETCH);
    await channel.consume(queue, (msg) => this.#receive(model, channel, msg), { noAck: false });
    if (this.#closed) {
      await channel.close().catch(() => undefined);
      return;
    }
    this.#channel = channel;
    this.#options.logger.info(
      { queue, exchanges: endpoints.map((e) => e.exchange) },
      'listening to notifications',
    );
    for (const done of [...this.#consumingWaiters]) done();
    this.#consumingWaiters.clear();
    if (reconnected) for (const h of [...this.#reconnectHandlers]) h();
  }

  /** @internal ConnectionClient */
  disconnected(): void {
    this.#channel = null;
  }

  #receive(model: ChannelModel, channel: Channel, msg: ConsumeMessage | null): void {
    const { logger } = this.#options;
    if (msg === null) {
      // The broker cancelled the consumer (queue deleted): set everything up again.
      logger.warn('the notification queue was cancelled by the broker; reconnecting');
      model.close().catch(() => undefined);
      return;
    }
    let parsed: ResourceEvent | null = null;
    try {
      parsed = toResourceEvent(decodeNotification(msg.content));
    } catch (err) {
      logger.debug({ err: String(err) }, 'ignored a message that is not a notification');
    }
    if (!parsed) {
      settle(channel, msg, true);
      return;
    }
    const event = parsed;
    this.#dispatch(event).then((handled) => {
      if (!handled) logger.warn({ event: event.eventType }, 'a notification handler failed');
      settle(channel, msg, handled || msg.fields.redelivered);
    });
  }

  /** Runs every handler; resolves false if one failed. Never rejects. */
  async #dispatch(event: ResourceEvent): Promise<boolean> {
    let ok = true;
    for (const handler of [...this.#handlers]) {
      try {
        await handler(event);
      } catch (err) {
        ok = false;
        this.#options.logger.warn({ err: String(err) }, 'notification handler error');
      }
    }
    return ok;
  }
}

/** Acknowledges (or requeues) a message; a closed channel means the broker will redeliver. */
function settle(channel: Channel, msg: ConsumeMessage, ack: boolean): void {
  try {
    if (ack) channel.ack(msg);
    else channel.nack(msg, false, true);
  } catch {
    // channel already closed
  }
}

/**
 * The notification source of a health manager: null when no transport URL is configured
 * (`[oslo_messaging_notifications] transport_url`, else `[DEFAULT] transport_url`) or no
 * endpoint is enabled. Throws ConfigError for an unusable transport URL.
 */
export function createAmqpNotificationSource(
  config: Config,
  logger: Logger,
): AmqpNotificationSource | null {
  const url = notificationTransportUrl(config);
  const hm = config.health_manager;
  const endpoints: SourceEndpoint[] = [];
  if (hm.enabled_endpoints.includes('nova')) {
    endpoints.push({
      service: 'nova',
      exchange: hm.nova_control_exchange,
      topic: hm.nova_notification_topic,
    });
  }
  if (hm.enabled_endpoints.includes('heat')) {
    endpoints.push({
      service: 'heat',
      exchange: hm.heat_control_exchange,
      topic: hm.heat_notification_topic,
    });
  }
  if (!url || endpoints.length === 0) return null;
  const log = logger.child({ component: 'notification-listener' });
  const name = `senlin-ts:${config.DEFAULT.host}:listener`;
  const rabbit = config.oslo_messaging_rabbit;
  return new AmqpNotificationSource({
    connection: new AmqpConnection(connectionSettings(config, url, log, name)),
    queue: `senlin-listeners.${config.DEFAULT.host}`,
    endpoints,
    exchangeFlags: { durable: rabbit.amqp_durable_queues, autoDelete: rabbit.amqp_auto_delete },
    queueExpiryMs: hm.listener_queue_expiry * 1000,
    logger: log,
  });
}
