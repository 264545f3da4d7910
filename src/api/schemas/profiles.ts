/** Request objects and list parameters of /v1/profiles. */
import type { ListResourceSpec } from '../listing.js';
import type { RequestObjectSpec } from '../validation/fields.js';

const createBody: RequestObjectSpec = {
  name: 'ProfileCreateRequestBody',
  fields: {
    name: { kind: 'name' },
    spec: { kind: 'json' },
    metadata: { kind: 'json', nullable: true, default: {} },
  },
};

/** `POST /v1/profiles`. */
export const ProfileCreateRequest: RequestObjectSpec = {
  name: 'ProfileCreateRequest',
  fields: { profile: { kind: 'object', body: createBody } },
};

/** `POST /v1/profiles/validate`. */
export const ProfileValidateRequest: RequestObjectSpec = {
  name: 'ProfileValidateRequest',
  fields: {
    profile: {
      kind: 'object',
      body: { name: 'ProfileValidateRequestBody', fields: { spec: { kind: 'json' } } },
    },
  },
};

/** `PATCH /v1/profiles/{id}`. */
export const ProfileUpdateRequest: RequestObjectSpec = {
  name: 'ProfileUpdateRequest',
  fields: {
    identity: { kind: 'string' },
    profile: {
      kind: 'object',
      body: {
        name: 'ProfileUpdateRequestBody',
        fields: {
          name: { kind: 'name', nullable: true },
          metadata: { kind: 'json', nullable: true },
        },
      },
    },
  },
};

/** `GET /v1/profiles`. */
export const profileList: ListResourceSpec = {
  requestName: 'ProfileListRequest',
  filters: { name: { kind: 'string', multi: true }, type: { kind: 'string', multi: true } },
  sortKeys: ['type', 'name', 'created_at', 'updated_at'],
  defaultSort: 'created_at',
  columns: {
    created_at: { column: 'created_at', kind: 'time' },
    updated_at: { column: 'updated_at', kind: 'time' },
  },
};
