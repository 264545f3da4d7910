/**
 * Registration of a service process in the `service` table: a row created at start, a
 * heartbeat every `periodic_interval` seconds, the row removed at a graceful stop. Other
 * processes judge liveness from the heartbeat (`GET /v1/services`, `manage service list`).
 */
import type { Db } from '../db/connection.js';
import { createService, deleteService, heartbeatService } from '../db/queries/services.js';

/** Service binaries as upstream names them (they are also the topics). */
export const SERVICE_BINARIES = {
  conductor: 'senlin-conductor',
  engine: 'senlin-engine',
  healthManager: 'senlin-health-manager',
} as const;

/** Receives heartbeat failures (the registration keeps trying). */
export type HeartbeatErrorHandler = (err: unknown) => void;

/** A registered service; call stop() on shutdown. */
export class ServiceRegistration {
  readonly id: string;
  readonly binary: string;
  readonly #db: Db;
  readonly #timer: NodeJS.Timeout;
  #stopped = false;

  private constructor(
    db: Db,
    record: { id: string; host: string; binary: string },
    intervalSeconds: number,
    onError: HeartbeatErrorHandler,
  ) {
    const { id, host, binary } = record;
    this.#db = db;
    this.id = id;
    this.binary = binary;
    this.#timer = setInterval(() => {
      this.#db
        .retry(async (k) => {
          // A row removed by a cleanup while we were alive is recreated under the same id.
          if (!(await heartbeatService(k, this.id)) && !this.#stopped) {
            await createService(k, { id, host, binary, topic: binary });
          }
        })
        .catch(onError);
    }, intervalSeconds * 1000);
    this.#timer.unref();
  }

  /** Inserts the service row and starts the heartbeat. */
  static async start(
    db: Db,
    options: {
      id?: string;
      host: string;
      binary: string;
      intervalSeconds: number;
      onError: HeartbeatErrorHandler;
    },
  ): Promise<ServiceRegistration> {
    const record = await db.retry((k) =>
      createService(k, {
        ...(options.id ? { id: options.id } : {}),
        host: options.host,
        binary: options.binary,
        topic: options.binary,
      }),
    );
    return new ServiceRegistration(
      db,
      { id: record.id, host: options.host, binary: options.binary },
      options.intervalSeconds,
      options.onError,
    );
  }

  /** Stops the heartbeat and removes the row. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#db.retry((k) => deleteService(k, this.id));
  }
}
