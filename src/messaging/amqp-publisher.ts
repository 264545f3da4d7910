/**
 * Publishing notifications on RabbitMQ from a bounded in-memory queue. A message leaves the
 * queue only when the broker has confirmed it, so a broker restart or outage delays messages
 * but loses none of those still in memory (a message may then arrive twice: consumers key on
 * `message_id`). When the queue is full the oldest message is dropped and counted. Like
 * oslo.messaging, the exchange and a default queue named after the routing key are declared
 * before the first publish, so notifications wait in RabbitMQ until someone consumes them.
 */
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import type { Logger } from 'pino';
import type { AmqpConnection, ConnectionClient } from './connection.js';
import type { EntityFlags } from './declare.js';
import { bindQueue, declareQueue, declareTopicExchange } from './declare.js';

interface Pending {
  readonly exchange: string;
  readonly routingKey: string;
  readonly body: Buffer;
  attempts: number;
}

/** How the publisher behaves. */
export interface PublisherOptions {
  readonly connection: AmqpConnection;
  /** Flags of declared exchanges and default queues. */
  readonly flags: EntityFlags;
  /** Most messages kept while the broker cannot be reached. */
  readonly maxQueued: number;
  /** Publish attempts of one message before it is dropped (null: no limit). */
  readonly maxAttempts: number | null;
  readonly logger: Logger;
}

const BATCH = 100;
const RETRY_MS = 1000;

/** A queue of messages published in order, in the background, with broker confirms. */
export class AmqpPublisher implements ConnectionClient {
  readonly #options: PublisherOptions;
  readonly #queue: Pending[] = [];
  readonly #declared = new Set<string>();
  readonly #idle = new Set<() => void>();
  #model: ChannelModel | null = null;
  #channel: ConfirmChannel | null = null;
  #pumping = false;
  #timer: NodeJS.Timeout | null = null;
  #dropped = 0;
  #detach: () => void;

  constructor(options: PublisherOptions) {
    this.#options = options;
    this.#detach = options.connection.attach(this);
  }

  /** Messages waiting for the broker. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Messages dropped because the queue was full or they failed too often. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues a message for `exchange` with `routingKey`. */
  publish(exchange: string, routingKey: string, body: Buffer): void {
    if (this.#queue.length >= this.#options.maxQueued) {
      this.#queue.shift();
      this.#drop('the notification queue is full: dropped the oldest notification');
    }
    this.#queue.push({ exchange, routingKey, body, attempts: 0 });
    this.#kick();
  }

  /** Waits until the queue is empty or `timeoutMs` passed; then stops. */
  async close(timeoutMs: number): Promise<void> {
    if (this.#queue.length > 0) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.#idle.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        this.#idle.add(done);
      });
    }
    if (this.#queue.length > 0) {
      this.#options.logger.warn(
        { count: this.#queue.length },
        'notifications not delivered before shutdown (the events stay in the database)',
      );
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#detach();
    const channel = this.#channel;
    this.#channel = null;
    await channel?.close().catch(() => undefined);
  }

  /** @internal ConnectionClient */
  async connected(model: ChannelModel): Promise<void> {
    this.#model = model;
    this.#declared.clear();
    await this.#openChannel(model);
  }

  /** @internal ConnectionClient */
  disconnected(): void {
    this.#model = null;
    this.#channel = null;
  }

  async #openChannel(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (err: Error) =>
      this.#options.logger.warn({ err: err.message }, 'notification channel error'),
    );
    channel.on('close', () => {
      if (this.#channel !== channel) return;
      this.#channel = null;
      // The connection may still be up (e.g. an exchange vanished): open a new channel.
      if (this.#model === model) this.#later();
    });
    this.#channel = channel;
    this.#kick();
  }

  /** Retries after a failure: a new channel when the connection lost its channel, else publish. */
  #retry(): void {
    const model = this.#model;
    if (!model) return;
    if (this.#channel) {
      this.#kick();
      return;
    }
    this.#declared.clear();
    this.#openChannel(model).catch((err: unknown) => {
      this.#options.logger.warn({ err: String(err) }, 'cannot reopen the notification channel');
      this.#later();
    });
  }

  #kick(): void {
    if (this.#pumping || !this.#channel || this.#queue.length === 0) return;
    this.#pumping = true;
    this.#pump()
      .catch((err: unknown) => this.#failed(err))
      .finally(() => {
        this.#pumping = false;
        if (this.#queue.length === 0) for (const done of [...this.#idle]) done();
        else if (this.#channel && !this.#timer) this.#kick();
      });
  }

  async #pump(): Promise<void> {
    while (this.#queue.length > 0) {
      const channel = this.#channel;
      const model = this.#model;
      if (!channel || !model) return;
      const batch = this.#queue.slice(0, BATCH);
      for (const p of batch) {
        p.attempts++;
        await this.#declare(model, p);
      }
      for (const p of batch) {
        channel.publish(p.exchange, p.routingKey, p.body, {
          contentType: 'application/json',
          contentEncoding: 'utf-8',
          persistent: true,
        });
      }
      await channel.waitForConfirms();
      const sent = new Set(batch);
      const rest = this.#queue.filter((p) => !sent.has(p));
      this.#queue.splice(0, this.#queue.length, ...rest);
    }
  }

  async #declare(model: ChannelModel, p: Pending): Promise<void> {
    const key = `${p.exchange}\u0000${p.routingKey}`;
    if (this.#declared.has(key)) return;
    const { flags } = this.#options;
    await declareTopicExchange(model, p.exchange, flags);
    await declareQueue(model, p.routingKey, flags);
    await bindQueue(model, p.routingKey, p.exchange, p.routingKey);
    this.#declared.add(key);
  }

  #failed(err: unknown): void {
    const { maxAttempts, logger } = this.#options;
    logger.warn(
      { err: String(err), queued: this.#queue.length },
      'publishing notifications failed',
    );
    if (maxAttempts !== null) {
      const keep = this.#queue.filter((p) => p.attempts < maxAttempts);
      const lost = this.#queue.length - keep.length;
      this.#queue.splice(0, this.#queue.length, ...keep);
      for (let i = 0; i < lost; i++) this.#drop('a notification failed too often: dropped');
    }
    this.#later();
  }

  #later(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#retry();
    }, RETRY_MS);
    this.#timer.unref();
  }

  #drop(message: string): void {
    this.#dropped++;
    // Log the first drop and then every hundredth, not each one.
    if (this.#dropped % 100 === 1) {
      this.#options.logger.warn({ dropped: this.#dropped }, message);
    }
  }
}
