/** Wire shape of events. */
import { EVENT_LEVELS } from '../../common/constants.js';
import { isoOffset } from '../../common/time.js';
import type { EventRecord } from '../../db/queries/events.js';

const LEVEL_NAMES = new Map<number, string>(
  Object.entries(EVENT_LEVELS).map(([name, level]) => [level, name]),
);

/**
 * An event as the API returns it: the level by name, the time with `+00:00`, the metadata as
 * `meta_data`, and the `cluster` key upstream leaks (always null here).
 */
export function eventView(e: EventRecord): Record<string, unknown> {
  return {
    id: e.id,
    timestamp: isoOffset(e.timestamp),
    oid: e.oid,
    oname: e.oname,
    otype: e.otype,
    cluster_id: e.clusterId,
    level: LEVEL_NAMES.get(e.level) ?? null,
    user: e.user,
    project: e.project,
    action: e.action,
    status: e.status,
    status_reason: e.statusReason,
    meta_data: e.metadata,
    cluster: null,
  };
}
