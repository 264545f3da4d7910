/** Request objects and list parameters of /v1/policies. */
import type { ListResourceSpec } from '../listing.js';
import type { RequestObjectSpec } from '../validation/fields.js';

/** `POST /v1/policies`. */
export const PolicyCreateRequest: RequestObjectSpec = {
  name: 'PolicyCreateRequest',
  fields: {
    policy: {
      kind: 'object',
      body: {
        name: 'PolicyCreateRequestBody',
        fields: { name: { kind: 'name' }, spec: { kind: 'json' } },
      },
    },
  },
};

/** `POST /v1/policies/validate`. */
export const PolicyValidateRequest: RequestObjectSpec = {
  name: 'PolicyValidateRequest',
  fields: {
    policy: {
      kind: 'object',
      body: { name: 'PolicyValidateRequestBody', fields: { spec: { kind: 'json' } } },
    },
  },
};

/** `PATCH /v1/policies/{id}`. */
export const PolicyUpdateRequest: RequestObjectSpec = {
  name: 'PolicyUpdateRequest',
  fields: {
    identity: { kind: 'string' },
    policy: {
      kind: 'object',
      body: { name: 'PolicyUpdateRequestBody', fields: { name: { kind: 'name' } } },
    },
  },
};

/** `GET /v1/policies`. */
export const policyList: ListResourceSpec = {
  requestName: 'PolicyListRequest',
  filters: { name: { kind: 'string', multi: true }, type: { kind: 'string', multi: true } },
  sortKeys: ['type', 'name', 'created_at', 'updated_at'],
  defaultSort: 'created_at',
  columns: {
    created_at: { column: 'created_at', kind: 'time' },
    updated_at: { column: 'updated_at', kind: 'time' },
  },
};
