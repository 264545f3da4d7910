/**
 * The long-running commands. `serve` runs every role in one process; `api`, `engine` and
 * `health-manager` run one role each, sharing PostgreSQL or MySQL in a production layout.
 */
import { join } from 'node:path';
import { newId } from '../common/ids.js';
import { SQLITE_FILE_NAME } from '../db/connection.js';
import { createCloudBackend } from '../drivers/index.js';
import { EngineBus } from '../engine/bus.js';
import type { EngineServices } from '../engine/services.js';
import { createAmqpNotificationSource } from '../messaging/amqp-source.js';
import { createNotifier } from '../messaging/notifier.js';
import { startHealthManager } from './health.js';
import { createProcessMetrics, serveMetrics } from './metrics.js';
import type { CommonOptions, Runtime } from './runtime.js';
import { loadRuntime, openRuntimeDatabase } from './runtime.js';
import type { Stoppable } from './services.js';
import { startApi, startEngine } from './services.js';

/** What a process runs. */
export type ProcessRole = 'serve' | 'api' | 'engine' | 'health-manager';

function announce(rt: Runtime, role: ProcessRole): void {
  const { config, loaded } = rt;
  const database = config.database.connection
    ? 'the database of [database] connection'
    : `SQLite at ${join(rt.dataDir, SQLITE_FILE_NAME)}`;
  if (loaded.embedded) {
    rt.logger.info(
      {
        data_dir: rt.dataDir,
        database,
        auth_strategy: config.DEFAULT.auth_strategy,
        cloud_backend: config.DEFAULT.cloud_backend,
      },
      `no configuration file found: running ${role} with the embedded defaults; data is stored in ${rt.dataDir}`,
    );
  } else {
    rt.logger.info({ files: loaded.files, database }, `running ${role}`);
  }
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const done = (signal: string) => resolve(signal);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/** Starts the parts of a role, waits for SIGINT/SIGTERM and stops them in reverse order. */
export async function runProcess(role: ProcessRole, options: CommonOptions): Promise<void> {
  const rt = loadRuntime(options);
  announce(rt, role);
  const db = await openRuntimeDatabase(rt, { autoSync: true });
  const backend = createCloudBackend(rt.config);
  const runsEngine = role === 'serve' || role === 'engine';
  const notifier = runsEngine ? createNotifier(rt.config, rt.logger) : null;
  const { bind_host: metricsHost, bind_port: metricsPort } = rt.config.metrics;
  const metrics = metricsPort > 0 ? createProcessMetrics(rt.config, db, rt.logger) : null;
  const services: EngineServices = {
    db,
    config: rt.config,
    backend,
    bus: new EngineBus(),
    logger: rt.logger,
    ...(notifier ? { notifier } : {}),
    ...(metrics ? { metrics: metrics.engine } : {}),
    engineId: newId(),
    now: () => new Date(),
  };
  const parts: Stoppable[] = [{ stop: () => backend.close() }];
  if (notifier) parts.push({ stop: () => notifier.close() });
  try {
    if (metrics) {
      parts.push(await serveMetrics(metrics.registry, metricsHost, metricsPort, rt.logger));
    }
    if (role === 'serve' || role === 'api') {
      parts.push(await startApi(rt, services, metrics ? { metrics: metrics.api } : {}));
    }
    if (role === 'serve' || role === 'engine') parts.push(await startEngine(rt, services));
    if (role === 'serve' || role === 'health-manager') {
      // LIFECYCLE_EVENTS: Nova/Heat notifications from RabbitMQ when a transport is configured.
      const source = createAmqpNotificationSource(rt.config, rt.logger);
      if (source) parts.push({ stop: () => source.close() });
      parts.push(
        await startHealthManager(rt, services, source ? { notificationSource: source } : {}),
      );
    }
    const signal = await waitForSignal();
    rt.logger.info({ signal }, 'shutting down');
  } finally {
    for (const part of parts.reverse()) {
      await part.stop().catch((err: unknown) => rt.logger.error({ err }, 'error while stopping'));
    }
    await db.close();
    rt.logger.flush();
  }
}
