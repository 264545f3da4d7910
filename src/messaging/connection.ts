/**
 * One AMQP connection kept alive: brokers of the transport are tried in turn, with the backoff
 * of `[oslo_messaging_rabbit]` (`rabbit_retry_interval`, plus `rabbit_retry_backoff` per
 * failed attempt, at most `rabbit_interval_max`). Clients (the notifier, the listener) set up
 * their channels again after every reconnection. Nothing here ever throws at its callers: a
 * broker outage only delays messages.
 */
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChannelModel, Options } from 'amqplib';
import { connect } from 'amqplib';
import type { Logger } from 'pino';
import type { BrokerAddress, Transport } from './transport-url.js';
import { brokerLabel } from './transport-url.js';

/** Reconnection delays, in milliseconds. */
export interface RetrySettings {
  readonly intervalMs: number;
  readonly backoffMs: number;
  readonly maxMs: number;
}

/** TLS material for `amqps` brokers. */
export interface TlsFiles {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** How to reach the brokers. */
export interface ConnectionOptions {
  readonly transport: Transport;
  readonly retry: RetrySettings;
  /** AMQP heartbeat in seconds (0: none). */
  readonly heartbeatSeconds: number;
  readonly tls?: TlsFiles;
  readonly logger: Logger;
  /** Shown by RabbitMQ as the connection name. */
  readonly name: string;
}

/** Something that uses the connection. */
export interface ConnectionClient {
  /**
   * Sets up channels on a new connection; `reconnected` is false for the first one. A throw
   * closes the connection and a new one is made after the backoff.
   */
  connected(model: ChannelModel, reconnected: boolean): Promise<void>;
  /** The connection was lost (its channels are gone). */
  disconnected(): void;
}

/** Smallest pause between attempts, so that a zero interval never spins. */
const MIN_DELAY_MS = 100;
const CONNECT_TIMEOUT_MS = 10_000;

/** The delay before reconnection attempt `n` (1-based). */
export function retryDelay(retry: RetrySettings, n: number): number {
  const delay = Math.min(retry.intervalMs + retry.backoffMs * Math.max(0, n - 1), retry.maxMs);
  return Math.max(MIN_DELAY_MS, delay);
}

/** A self-healing AMQP connection shared by the clients attached to it. */
export class AmqpConnection {
  readonly #options: ConnectionOptions;
  readonly #clients = new Set<ConnectionClient>();
  readonly #stop = new AbortController();
  #model: ChannelModel | null = null;
  #loop: Promise<void> | null = null;
  #everConnected = false;
  #lost: (() => void) | null = null;

  constructor(options: ConnectionOptions) {
    this.#options = options;
  }

  /** Whether a connection is open and set up. */
  get connected(): boolean {
    return this.#model !== null;
  }

  /** Adds a client (set up at once when connected) and starts connecting; returns a detach. */
  attach(client: ConnectionClient): () => void {
    this.#clients.add(client);
    const model = this.#model;
    // For a client attached late, this connection is its first one.
    if (model) this.#setUp(model, [client], false);
    this.#loop ??= this.#run();
    return () => {
      this.#clients.delete(client);
    };
  }

  /** Closes the connection and stops reconnecting. */
  async close(): Promise<void> {
    this.#stop.abort();
    const model = this.#model;
    this.#model = null;
    if (model) await model.close().catch(() => undefined);
    this.#lost?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { transport, retry, logger } = this.#options;
    let attempt = 0;
    let index = 0;
    while (!this.#stop.signal.aborted) {
      const broker = transport.brokers[index % transport.brokers.length] as BrokerAddress;
      index++;
      let model: ChannelModel;
      try {
        model = await this.#open(broker);
      } catch (err) {
        attempt++;
        const delay = retryDelay(retry, attempt);
        logger.warn(
          { err: String(err), broker: brokerLabel(broker), retry_in_ms: delay },
          'cannot connect to the AMQP broker',
        );
        await this.#pause(delay);
        continue;
      }
      if (this.#stop.signal.aborted) {
        await model.close().catch(() => undefined);
        return;
      }
      attempt = 0;
      const lost = new Promise<void>((resolve) => {
        this.#lost = resolve;
        model.on('close', () => resolve());
      });
      model.on('error', (err: Error) =>
        logger.warn({ err: err.message, broker: brokerLabel(broker) }, 'AMQP connection error'),
      );
      model.on('blocked', (reason: string) =>
        logger.warn({ reason }, 'the AMQP broker blocks publishing'),
      );
      const reconnected = this.#everConnected;
      this.#everConnected = true;
      this.#model = model;
      logger.info({ broker: brokerLabel(broker), reconnected }, 'connected to the AMQP broker');
      this.#setUp(model, [...this.#clients], reconnected);
      await lost;
      this.#lost = null;
      if (this.#model === model) this.#model = null;
      for (const client of this.#clients) client.disconnected();
      if (this.#stop.signal.aborted) return;
      logger.warn({ broker: brokerLabel(broker) }, 'lost the connection to the AMQP broker');
      await this.#pause(retryDelay(retry, 1));
    }
  }

  #setUp(model: ChannelModel, clients: ConnectionClient[], reconnected: boolean): void {
    const { logger } = this.#options;
    Promise.all(clients.map((c) => c.connected(model, reconnected))).catch((err: unknown) => {
      logger.warn({ err: String(err) }, 'AMQP channel set-up failed; reconnecting');
      model.close().catch(() => undefined);
    });
  }

  async #open(broker: BrokerAddress): Promise<ChannelModel> {
    const { heartbeatSeconds, tls, name } = this.#options;
    const url: Options.Connect = {
      protocol: broker.protocol,
      hostname: broker.hostname,
      port: broker.port,
      username: broker.username,
      password: broker.password,
      vhost: broker.vhost,
      heartbeat: heartbeatSeconds,
    };
    return connect(url, {
      timeout: CONNECT_TIMEOUT_MS,
      clientProperties: { connection_name: name },
      ...(broker.protocol === 'amqps' ? { ...tls, ...this.#serverName(broker) } : {}),
    });
  }

  #serverName(broker: BrokerAddress): { servername?: string } {
    return isIP(broker.hostname) === 0 ? { servername: broker.hostname } : {};
  }

  async #pause(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.#stop.signal });
    } catch {
      // stopped while waiting
    }
  }
}
