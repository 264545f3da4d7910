/** Action operations: list, show, and status changes (cancel; suspend/resume from 1.15). */
import type { ApiVersion } from '../common/api-version.js';
import type { RequestContext } from '../common/context.js';
import { BadRequest, ResourceNotFound } from '../common/errors.js';
import { listRows } from '../db/listing.js';
import type { ActionRecord } from '../db/queries/actions.js';
import { actionDependencies, decodeAction, getAction } from '../db/queries/actions.js';
import { findRow } from '../db/queries/find.js';
import { signalAction } from '../engine/signals.js';
import type { ConductorDeps } from './deps.js';
import { projectScope } from './deps.js';
import type { ListRequest } from './list-request.js';
import { resolveClusterIds } from './node-lookup.js';

/** An action with the ids it waits for and the ids waiting for it. */
export interface ActionInfo extends ActionRecord {
  dependsOn: string[];
  dependedBy: string[];
}

/** Microversion from which an action may also be suspended and resumed. */
export const ACTION_SIGNALS_VERSION = '1.15';

/** Action operations bound to their dependencies. */
export function actionOperations(deps: ConductorDeps) {
  const { db } = deps;

  async function withDependencies(actions: ActionRecord[]): Promise<ActionInfo[]> {
    const deps = await db.retry((k) =>
      actionDependencies(
        k,
        actions.map((a) => a.id),
      ),
    );
    return actions.map((a) => ({
      ...a,
      dependsOn: deps.get(a.id)?.dependsOn ?? [],
      dependedBy: deps.get(a.id)?.dependedBy ?? [],
    }));
  }

  return {
    /**
     * Lists actions. `cluster_id` values are resolved by find; when one of them matches no
     * cluster the result is empty.
     */
    async list(ctx: RequestContext, req: ListRequest): Promise<ActionInfo[]> {
      const project = projectScope(ctx, req.projectSafe);
      const filters = [...req.filters];
      const clusters = req.resolved?.cluster_id;
      if (clusters && clusters.length > 0) {
        const ids = await db.retry((k) => resolveClusterIds(k, ctx, clusters));
        if (ids === null) return [];
        filters.push({ column: 'cluster_id', op: 'in', values: ids });
      }
      const rows = await db.retry((k) =>
        listRows(k, db.dialect, 'action', { ...req, filters, project }),
      );
      return withDependencies(rows.map(decodeAction));
    },

    /** Shows an action found by id, name or short id. */
    async get(ctx: RequestContext, identity: string): Promise<ActionInfo> {
      const row = await db.retry((k) =>
        findRow(k, 'action', identity, { kind: 'action', project: projectScope(ctx) }),
      );
      const [info] = await withDependencies([decodeAction(row)]);
      return info as ActionInfo;
    },

    /**
     * Asks for a status change of the action with exactly this id: `CANCELLED` (forced or
     * not), and from microversion 1.15 `SUSPENDED` or `RESUMED`. Any other status is a 400,
     * checked before the action is looked up.
     */
    async update(
      ctx: RequestContext,
      identity: string,
      status: string,
      force: boolean,
      version: ApiVersion,
    ): Promise<void> {
      const allowed = version.atLeast(ACTION_SIGNALS_VERSION)
        ? ['CANCELLED', 'SUSPENDED', 'RESUMED']
        : ['CANCELLED'];
      if (!allowed.includes(status)) {
        throw new BadRequest(`Unknown status ${status} for action ${identity}`);
      }
      const action = await db.retry((k) => getAction(k, identity));
      const project = projectScope(ctx);
      if (!action || (project !== null && action.project !== project)) {
        throw new ResourceNotFound('action', identity);
      }
      await signalAction(deps, action.id, status, force);
    },
  };
}

/** The type of the action operations object. */
export type ActionOperations = ReturnType<typeof actionOperations>;
