/**
 * Engine test support: EngineServices over a database and the fake cloud, a running engine,
 * and helpers to create clusters and wait for actions, as the conductor would.
 */
import pino from 'pino';
import { newId } from '../../src/common/ids.js';
import type { ConfigOverrides } from '../../src/config/load.js';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/options.js';
import type { Db } from '../../src/db/connection.js';
import type { ActionRecord } from '../../src/db/queries/actions.js';
import { getAction } from '../../src/db/queries/actions.js';
import { createService } from '../../src/db/queries/services.js';
import type { FakeCloud } from '../../src/drivers/fake/index.js';
import { createFakeCloud } from '../../src/drivers/fake/index.js';
import { EngineBus } from '../../src/engine/bus.js';
import { Engine } from '../../src/engine/engine.js';
import type { EngineServices } from '../../src/engine/services.js';

/** Test configuration: quick polls and sweeps. */
export function testConfig(overrides: ConfigOverrides = {}): Config {
  return defaultConfig({
    ...overrides,
    DEFAULT: {
      cloud_backend: 'openstack_test',
      lock_retry_interval: 1,
      batch_interval: 0,
      ...overrides.DEFAULT,
    },
    engine: { poll_interval: 0.05, shutdown_timeout: 2, ...overrides.engine },
  });
}

/** Services of one engine over `db`. */
export function testServices(
  db: Db,
  options: { config?: Config; backend?: FakeCloud; bus?: EngineBus } = {},
): EngineServices & { backend: FakeCloud } {
  return {
    db,
    config: options.config ?? testConfig(),
    backend: options.backend ?? createFakeCloud(),
    bus: options.bus ?? new EngineBus(),
    logger: pino({ level: process.env.SENLIN_TEST_LOG ?? 'silent' }),
    engineId: newId(),
    now: () => new Date(),
  };
}

/** Starts an engine (with its service row) over the services. */
export async function startEngine(svc: EngineServices): Promise<Engine> {
  await svc.db.retry((k) =>
    createService(k, {
      id: svc.engineId,
      host: 'test',
      binary: 'senlin-engine',
      topic: 'senlin-engine',
    }),
  );
  const engine = new Engine(svc);
  engine.start();
  return engine;
}

/** Waits until an action ends (or reaches one of `statuses`); returns it. */
export async function waitForAction(
  db: Db,
  id: string,
  statuses: readonly string[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'],
  timeoutMs = 20_000,
): Promise<ActionRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const action = await db.retry((k) => getAction(k, id));
    if (action && statuses.includes(action.status)) return action;
    if (Date.now() > deadline) {
      throw new Error(
        `action ${id} is ${action?.status ?? 'missing'} (${action?.statusReason}) after ${timeoutMs} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
