/** List parameters of /v1/events. */
import { ACTION_NAMES, EVENT_LEVELS } from '../../common/constants.js';
import type { ListResourceSpec } from '../listing.js';

const LEVEL_NAMES = Object.keys(EVENT_LEVELS);

/** `GET /v1/events`. */
export const eventList: ListResourceSpec = {
  requestName: 'EventListRequest',
  filters: {
    oid: { kind: 'string', multi: true },
    oname: { kind: 'string', multi: true },
    otype: { kind: 'string', multi: true },
    action: { kind: 'enum', multi: true, values: ACTION_NAMES },
    level: { kind: 'enum', multi: true, values: LEVEL_NAMES },
    cluster_id: { kind: 'string', multi: true, resolved: true },
  },
  sortKeys: ['timestamp', 'level', 'otype', 'oname', 'action', 'status', 'oid', 'cluster_id'],
  defaultSort: 'timestamp',
  columns: {
    timestamp: { column: 'timestamp', kind: 'time' },
    level: { column: 'level', kind: 'level', values: LEVEL_NAMES },
  },
};
