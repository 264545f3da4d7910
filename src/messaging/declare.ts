/**
 * Declaring exchanges and queues the way oslo.messaging does, without failing when another
 * service already declared them with other flags (RabbitMQ answers 406 PRECONDITION_FAILED and
 * closes the channel): then the existing one is used as it is. Each declaration runs on a
 * short-lived channel so that such a refusal never kills a channel in use.
 */
import type { Channel, ChannelModel, Options } from 'amqplib';

/** Flags of oslo.messaging's topic exchanges and queues (`amqp_durable_queues`, `amqp_auto_delete`). */
export interface EntityFlags {
  readonly durable: boolean;
  readonly autoDelete: boolean;
}

function isPreconditionFailed(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 406;
}

async function withChannel<T>(model: ChannelModel, fn: (ch: Channel) => Promise<T>): Promise<T> {
  const ch = await model.createChannel();
  ch.on('error', () => undefined);
  try {
    return await fn(ch);
  } finally {
    await ch.close().catch(() => undefined);
  }
}

/** Declares a topic exchange, or accepts the existing one of that name. */
export async function declareTopicExchange(
  model: ChannelModel,
  name: string,
  flags: EntityFlags,
): Promise<void> {
  try {
    await withChannel(model, (ch) =>
      ch.assertExchange(name, 'topic', { durable: flags.durable, autoDelete: flags.autoDelete }),
    );
  } catch (err) {
    if (!isPreconditionFailed(err)) throw err;
    await withChannel(model, (ch) => ch.checkExchange(name));
  }
}

/** Declares a queue, or accepts the existing one of that name. */
export async function declareQueue(
  model: ChannelModel,
  name: string,
  flags: EntityFlags,
  args: Record<string, unknown> = {},
): Promise<void> {
  const options: Options.AssertQueue = {
    durable: flags.durable,
    autoDelete: flags.autoDelete,
    arguments: args,
  };
  try {
    await withChannel(model, (ch) => ch.assertQueue(name, options));
  } catch (err) {
    if (!isPreconditionFailed(err)) throw err;
    await withChannel(model, (ch) => ch.checkQueue(name));
  }
}

/** Binds a queue to an exchange with a routing key. */
export async function bindQueue(
  model: ChannelModel,
  queue: string,
  exchange: string,
  routingKey: string,
): Promise<void> {
  await withChannel(model, (ch) => ch.bindQueue(queue, exchange, routingKey));
}
