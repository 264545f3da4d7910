/** Request objects and list parameters of /v1/actions. */
import { ACTION_NAMES, ACTION_STATUSES } from '../../common/constants.js';
import type { ListResourceSpec } from '../listing.js';
import type { RequestObjectSpec } from '../validation/fields.js';

/** `PATCH /v1/actions/{id}`: the inner object with the identity and `force` (query). */
export const ActionUpdateRequest: RequestObjectSpec = {
  name: 'ActionUpdateRequest',
  fields: {
    identity: { kind: 'string' },
    status: { kind: 'string' },
    force: { kind: 'boolean', default: false },
  },
};

/** `GET /v1/actions`. */
export const actionList: ListResourceSpec = {
  requestName: 'ActionListRequest',
  filters: {
    name: { kind: 'string', multi: true },
    target: { kind: 'string', multi: true },
    action: { kind: 'enum', multi: true, values: ACTION_NAMES },
    status: { kind: 'enum', multi: true, values: ACTION_STATUSES },
    cluster_id: { kind: 'string', multi: true, since: '1.14', resolved: true },
  },
  sortKeys: ['name', 'target', 'action', 'created_at', 'status'],
  defaultSort: 'created_at',
  columns: {
    action: { column: 'action', kind: 'enum', values: ACTION_NAMES },
    status: { column: 'status', kind: 'enum', values: ACTION_STATUSES },
    created_at: { column: 'created_at', kind: 'time' },
  },
};
