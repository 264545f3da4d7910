/** Request objects and list parameters of /v1/nodes. */
import { NODE_STATUSES } from '../../common/constants.js';
import type { ListResourceSpec } from '../listing.js';
import type { RequestObjectSpec } from '../validation/fields.js';

/** `POST /v1/nodes`. */
export const NodeCreateRequest: RequestObjectSpec = {
  name: 'NodeCreateRequest',
  fields: {
    node: {
      kind: 'object',
      body: {
        name: 'NodeCreateRequestBody',
        fields: {
          name: { kind: 'name' },
          profile_id: { kind: 'string' },
          cluster_id: { kind: 'string', nullable: true, default: '' },
          role: { kind: 'string', nullable: true, default: '' },
          metadata: { kind: 'json', nullable: true, default: {} },
        },
      },
    },
  },
};

/** `PATCH /v1/nodes/{id}`: the inner object merged with the identity. */
export const NodeUpdateRequest: RequestObjectSpec = {
  name: 'NodeUpdateRequest',
  fields: {
    identity: { kind: 'string' },
    name: { kind: 'name', nullable: true },
    profile_id: { kind: 'string', nullable: true },
    role: { kind: 'string', nullable: true },
    metadata: { kind: 'json', nullable: true },
    tainted: { kind: 'boolean', nullable: true, since: '1.13' },
  },
};

/** `DELETE /v1/nodes/{id}`. */
export const NodeDeleteRequest: RequestObjectSpec = {
  name: 'NodeDeleteRequest',
  fields: {
    identity: { kind: 'string' },
    force: { kind: 'boolean', default: false, since: '1.8' },
  },
};

/** `GET /v1/nodes/{id}`. */
export const NodeGetRequest: RequestObjectSpec = {
  name: 'NodeGetRequest',
  fields: {
    identity: { kind: 'string' },
    show_details: { kind: 'boolean', nullable: true, default: false },
  },
};

/** Node action `check`. */
export const NodeCheckRequest: RequestObjectSpec = {
  name: 'NodeCheckRequest',
  fields: { identity: { kind: 'string' }, params: { kind: 'json', nullable: true } },
};

/** Node action `recover`. */
export const NodeRecoverRequest: RequestObjectSpec = {
  name: 'NodeRecoverRequest',
  fields: { identity: { kind: 'string' }, params: { kind: 'json', nullable: true } },
};

/** `POST /v1/nodes/{id}/ops`. */
export const NodeOperationRequest: RequestObjectSpec = {
  name: 'NodeOperationRequest',
  fields: {
    identity: { kind: 'string' },
    operation: { kind: 'string' },
    params: { kind: 'json', nullable: true },
  },
};

/** `POST /v1/nodes/adopt-preview` (top-level body). */
export const NodeAdoptPreviewRequest: RequestObjectSpec = {
  name: 'NodeAdoptPreviewRequest',
  fields: {
    identity: { kind: 'string' },
    type: { kind: 'string' },
    overrides: { kind: 'json', nullable: true },
    snapshot: { kind: 'boolean', nullable: true, default: false },
  },
};

/** `POST /v1/nodes/adopt` (top-level body). */
export const NodeAdoptRequest: RequestObjectSpec = {
  name: 'NodeAdoptRequest',
  fields: {
    identity: { kind: 'string' },
    type: { kind: 'string' },
    name: { kind: 'name', nullable: true },
    role: { kind: 'string', nullable: true },
    metadata: { kind: 'json', nullable: true, default: {} },
    overrides: { kind: 'json', nullable: true },
    snapshot: { kind: 'boolean', nullable: true, default: false },
  },
};

/** `GET /v1/nodes`. */
export const nodeList: ListResourceSpec = {
  requestName: 'NodeListRequest',
  filters: {
    cluster_id: { kind: 'string', multi: false, resolved: true },
    name: { kind: 'string', multi: true },
    status: { kind: 'enum', multi: true, values: NODE_STATUSES },
  },
  sortKeys: ['index', 'name', 'status', 'init_at', 'created_at', 'updated_at'],
  defaultSort: 'init_at',
  columns: {
    index: { column: 'index', kind: 'int' },
    status: { column: 'status', kind: 'enum', values: NODE_STATUSES },
    init_at: { column: 'init_at', kind: 'time' },
    created_at: { column: 'created_at', kind: 'time' },
    updated_at: { column: 'updated_at', kind: 'time' },
  },
};
