/** Wire shape of clusters. */
import { isoZ } from '../../common/time.js';
import type { ClusterDetail } from '../../conductor/cluster-support.js';

/**
 * A cluster as the API returns it: the stored fields, the profile name, the member node ids
 * and the ids of the policy bindings (not the policy ids, as upstream).
 */
export function clusterView(detail: ClusterDetail): Record<string, unknown> {
  const c = detail.cluster;
  return {
    id: c.id,
    name: c.name,
    profile_id: c.profileId,
    profile_name: detail.profileName,
    user: c.user,
    project: c.project,
    domain: c.domain,
    init_at: isoZ(c.initAt),
    created_at: isoZ(c.createdAt),
    updated_at: isoZ(c.updatedAt),
    min_size: c.minSize,
    max_size: c.maxSize,
    desired_capacity: c.desiredCapacity,
    timeout: c.timeout,
    status: c.status,
    status_reason: c.statusReason,
    metadata: c.metadata,
    data: c.data,
    dependents: c.dependents,
    config: c.config,
    nodes: [...detail.nodeIds],
    policies: [...detail.policyIds],
  };
}
