/** What conductor operations need, and helpers they share. */
import type { RequestContext } from '../common/context.js';
import { Forbidden } from '../common/errors.js';
import type { EngineServices } from '../engine/services.js';

/**
 * Dependencies of the conductor: the engine's shared services (database, configuration,
 * cloud, bus, log, clock). Conductor operations write rows and actions, then wake the workers
 * through the bus.
 */
export type ConductorDeps = EngineServices;

/**
 * The project an operation is limited to: the caller's, or null (every project) for admins.
 * A non-admin asking for every project (`global_project=true`) is refused.
 */
export function projectScope(ctx: RequestContext, projectSafe = true): string | null {
  if (ctx.isAdmin) return null;
  if (!projectSafe) throw new Forbidden();
  return ctx.projectId ?? '';
}

/** Owner columns of a new object, from the caller's context. */
export function owner(ctx: RequestContext): {
  user: string;
  project: string;
  domain: string | null;
} {
  return {
    user: ctx.userId ?? '',
    project: ctx.projectId ?? '',
    domain: ctx.userDomainId ?? ctx.domainId,
  };
}
