/** Request objects and list parameters of /v1/clusters. */
import { CLUSTER_STATUSES } from '../../common/constants.js';
import type { ListResourceSpec } from '../listing.js';
import type { RequestObjectSpec } from '../validation/fields.js';

const cache = new Map<number, RequestObjectSpec>();

/**
 * `POST /v1/clusters`. Capacities are bounded by `[DEFAULT] max_nodes_per_cluster`; `config`
 * is accepted at every microversion, as upstream does.
 */
export function clusterCreateRequest(maxNodes: number): RequestObjectSpec {
  const cached = cache.get(maxNodes);
  if (cached) return cached;
  const spec: RequestObjectSpec = {
    name: 'ClusterCreateRequest',
    fields: {
      cluster: {
        kind: 'object',
        body: {
          name: 'ClusterCreateRequestBody',
          fields: {
            name: { kind: 'name' },
            profile_id: { kind: 'string' },
            min_size: { kind: 'capacity', nullable: true, min: 0, max: maxNodes, default: 0 },
            max_size: { kind: 'capacity', nullable: true, min: -1, max: maxNodes, default: -1 },
            desired_capacity: { kind: 'capacity', nullable: true, min: 0, max: maxNodes },
            metadata: { kind: 'json', nullable: true, default: {} },
            timeout: { kind: 'nonNegativeInt', nullable: true },
            config: { kind: 'json', nullable: true, default: {} },
          },
        },
      },
    },
  };
  cache.set(maxNodes, spec);
  return spec;
}

/** `PATCH /v1/clusters/{id}` (the inner object merged with the path identity). */
export const ClusterUpdateRequest: RequestObjectSpec = {
  name: 'ClusterUpdateRequest',
  fields: {
    identity: { kind: 'string' },
    name: { kind: 'name', nullable: true },
    profile_id: { kind: 'string', nullable: true },
    metadata: { kind: 'json', nullable: true },
    timeout: { kind: 'nonNegativeInt', nullable: true },
    profile_only: { kind: 'boolean', nullable: true, since: '1.6' },
    config: { kind: 'json', nullable: true, since: '1.7' },
  },
};

/** `DELETE /v1/clusters/{id}`. */
export const ClusterDeleteRequest: RequestObjectSpec = {
  name: 'ClusterDeleteRequest',
  fields: {
    identity: { kind: 'string' },
    force: { kind: 'boolean', default: false, since: '1.8' },
  },
};

/** `GET /v1/clusters/{id}/attrs/{path}`. */
export const ClusterCollectRequest: RequestObjectSpec = {
  name: 'ClusterCollectRequest',
  fields: { identity: { kind: 'string' }, path: { kind: 'string' } },
};

/** `GET /v1/clusters`. */
export const clusterList: ListResourceSpec = {
  requestName: 'ClusterListRequest',
  quoteInvalidParam: true,
  filters: {
    name: { kind: 'string', multi: true },
    status: { kind: 'enum', multi: true, values: CLUSTER_STATUSES },
  },
  sortKeys: ['name', 'status', 'init_at', 'created_at', 'updated_at'],
  defaultSort: 'init_at',
  columns: {
    name: { column: 'name', kind: 'string' },
    status: { column: 'status', kind: 'enum', values: CLUSTER_STATUSES },
    init_at: { column: 'init_at', kind: 'time' },
    created_at: { column: 'created_at', kind: 'time' },
    updated_at: { column: 'updated_at', kind: 'time' },
  },
};
