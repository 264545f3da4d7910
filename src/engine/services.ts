/** What every part of the engine shares: database, configuration, cloud, bus, log, clock. */
import type { Logger } from 'pino';
import type { Config } from '../config/options.js';
import type { Db } from '../db/connection.js';
import type { CloudBackend } from '../drivers/types.js';
import type { Notifier } from '../messaging/outgoing.js';
import type { EngineBus } from './bus.js';
import type { EngineMetrics } from './metrics.js';

/** Shared services of an engine process. */
export interface EngineServices {
  readonly db: Db;
  readonly config: Config;
  readonly backend: CloudBackend;
  readonly bus: EngineBus;
  readonly logger: Logger;
  /** Outgoing notifications and membership webhooks (none: nothing is sent). */
  readonly notifier?: Notifier;
  /** Monitoring observations (none: nothing is recorded). */
  readonly metrics?: EngineMetrics;
  /** Service id of this engine (owner of the actions it runs). */
  readonly engineId: string;
  /** Current time (injectable for tests). */
  now(): Date;
}

/** Epoch seconds of a date. */
export function epoch(d: Date): number {
  return d.getTime() / 1000;
}

/** First 8 characters of an id, as names and messages use them. */
export function short(id: string): string {
  return id.slice(0, 8);
}
