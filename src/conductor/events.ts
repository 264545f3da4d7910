/** Event operations: list and show. */
import type { RequestContext } from '../common/context.js';
import { listRows } from '../db/listing.js';
import type { EventRecord } from '../db/queries/events.js';
import { decodeEvent } from '../db/queries/events.js';
import { findRow } from '../db/queries/find.js';
import type { ConductorDeps } from './deps.js';
import { projectScope } from './deps.js';
import type { ListRequest } from './list-request.js';
import { resolveClusterIds } from './node-lookup.js';

/** Event operations bound to their dependencies. */
export function eventOperations(deps: ConductorDeps) {
  const { db } = deps;

  return {
    /**
     * Lists events. `cluster_id` values are resolved by find; when one of them matches no
     * cluster the result is empty.
     */
    async list(ctx: RequestContext, req: ListRequest): Promise<EventRecord[]> {
      const project = projectScope(ctx, req.projectSafe);
      const filters = [...req.filters];
      const clusters = req.resolved?.cluster_id;
      if (clusters && clusters.length > 0) {
        const ids = await db.retry((k) => resolveClusterIds(k, ctx, clusters));
        if (ids === null) return [];
        filters.push({ column: 'cluster_id', op: 'in', values: ids });
      }
      const rows = await db.retry((k) =>
        listRows(k, db.dialect, 'event', { ...req, filters, project }),
      );
      return rows.map(decodeEvent);
    },

    /** Shows an event found by id or short id (events have no name). */
    async get(ctx: RequestContext, identity: string): Promise<EventRecord> {
      const row = await db.retry((k) =>
        findRow(k, 'event', identity, {
          kind: 'event',
          project: projectScope(ctx),
          byName: false,
        }),
      );
      return decodeEvent(row);
    },
  };
}

/** The type of the event operations object. */
export type EventOperations = ReturnType<typeof eventOperations>;
