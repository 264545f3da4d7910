/** Starting and stopping the health manager of a process (`serve`, `health-manager`). */
import { newId } from '../common/ids.js';
import { SERVICE_BINARIES } from '../engine/service-registry.js';
import type { EngineServices } from '../engine/services.js';
import { HealthManager } from '../health/index.js';
import type { NotificationSource } from '../messaging/types.js';
import type { Runtime } from './runtime.js';
import type { Stoppable } from './services.js';
import { registerService } from './services.js';

/** Optional parts of a health manager. */
export interface HealthManagerOptions {
  /**
   * Where Nova and Heat notifications come from (LIFECYCLE_EVENTS detection); without it,
   * clusters registered for lifecycle events are not watched for events.
   */
  readonly notificationSource?: NotificationSource;
}

/**
 * Starts a health manager: its service row (heartbeat) and its sweeps of the health registry.
 * Stopping it hands its registrations back and removes the row; the notification source is
 * closed by whoever made it.
 */
export async function startHealthManager(
  rt: Runtime,
  services: EngineServices,
  options: HealthManagerOptions = {},
): Promise<Stoppable & { manager: HealthManager }> {
  const serviceId = newId();
  const registration = await registerService(
    rt,
    services.db,
    SERVICE_BINARIES.healthManager,
    serviceId,
  );
  const manager = new HealthManager({
    services,
    serviceId,
    ...(options.notificationSource ? { notificationSource: options.notificationSource } : {}),
  });
  manager.start();
  rt.logger.info(
    { id: serviceId, lifecycle_events: options.notificationSource !== undefined },
    'health manager started',
  );
  return {
    manager,
    async stop() {
      await manager.stop();
      await registration.stop();
    },
  };
}
