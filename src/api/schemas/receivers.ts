/** Request objects and list parameters of /v1/receivers. */
import { CLUSTER_ACTIONS, RECEIVER_TYPES } from '../../common/constants.js';
import type { ListResourceSpec } from '../listing.js';
import type { RequestObjectSpec } from '../validation/fields.js';

/** `POST /v1/receivers`. */
export const ReceiverCreateRequest: RequestObjectSpec = {
  name: 'ReceiverCreateRequest',
  fields: {
    receiver: {
      kind: 'object',
      body: {
        name: 'ReceiverCreateRequestBody',
        fields: {
          name: { kind: 'name' },
          type: { kind: 'enum', values: RECEIVER_TYPES },
          cluster_id: { kind: 'string', nullable: true },
          action: { kind: 'enum', nullable: true, values: CLUSTER_ACTIONS },
          actor: { kind: 'json', nullable: true, default: {} },
          params: { kind: 'json', nullable: true, default: {} },
        },
      },
    },
  },
};

/** `PATCH /v1/receivers/{id}`: the inner object merged with the identity. */
export const ReceiverUpdateRequest: RequestObjectSpec = {
  name: 'ReceiverUpdateRequest',
  fields: {
    identity: { kind: 'string' },
    name: { kind: 'name', nullable: true },
    action: { kind: 'enum', nullable: true, values: CLUSTER_ACTIONS },
    params: { kind: 'json', nullable: true, default: {} },
  },
};

/** `GET /v1/receivers`. */
export const receiverList: ListResourceSpec = {
  requestName: 'ReceiverListRequest',
  filters: {
    name: { kind: 'string', multi: true },
    type: { kind: 'enum', multi: true, values: RECEIVER_TYPES },
    cluster_id: { kind: 'string', multi: true },
    action: { kind: 'enum', multi: true, values: CLUSTER_ACTIONS },
    user: { kind: 'string', multi: true, since: '1.4' },
  },
  sortKeys: ['name', 'type', 'action', 'cluster_id', 'created_at', 'user'],
  defaultSort: 'name',
  columns: {
    type: { column: 'type', kind: 'enum', values: RECEIVER_TYPES },
    action: { column: 'action', kind: 'enum', values: CLUSTER_ACTIONS },
    created_at: { column: 'created_at', kind: 'time' },
  },
};
