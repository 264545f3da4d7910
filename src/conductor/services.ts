/** Service rows as `GET /v1/services` reports them. */
import type { RequestContext } from '../common/context.js';
import { Forbidden } from '../common/errors.js';
import type { ServiceRecord } from '../db/queries/services.js';
import { isServiceUp, listServices } from '../db/queries/services.js';
import type { ConductorDeps } from './deps.js';

/** A service with its liveness as seen now. */
export interface ServiceStatus extends ServiceRecord {
  /** `up` when the last heartbeat is within `[DEFAULT] service_down_time`. */
  state: 'up' | 'down';
}

/** Service operations bound to their dependencies. */
export function serviceOperations(deps: ConductorDeps) {
  return {
    /** Every registered service process (admins only). */
    async list(ctx: RequestContext): Promise<ServiceStatus[]> {
      if (!ctx.isAdmin) throw new Forbidden();
      const rows = await deps.db.retry((k) => listServices(k));
      const now = deps.now().getTime();
      const downTime = deps.config.DEFAULT.service_down_time;
      return rows.map((s) => ({ ...s, state: isServiceUp(s, now, downTime) ? 'up' : 'down' }));
    },
  };
}
