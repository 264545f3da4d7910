/** Wire shape of nodes. */
import type { ApiVersion } from '../../common/api-version.js';
import { isoZ } from '../../common/time.js';
import type { NodeInfo } from '../../conductor/nodes.js';

/** Microversion from which nodes show `tainted`. */
export const TAINTED_VERSION = '1.13';

/** A node as the API returns it (`tainted` from 1.13, `details` when they were asked for). */
export function nodeView(n: NodeInfo, version: ApiVersion): Record<string, unknown> {
  return {
    id: n.id,
    name: n.name,
    cluster_id: n.clusterId,
    physical_id: n.physicalId,
    profile_id: n.profileId,
    profile_name: n.profileName,
    user: n.user,
    project: n.project,
    domain: n.domain,
    index: n.index,
    role: n.role,
    init_at: isoZ(n.initAt),
    created_at: isoZ(n.createdAt),
    updated_at: isoZ(n.updatedAt),
    status: n.status,
    status_reason: n.statusReason,
    data: n.data,
    metadata: n.metadata,
    dependents: n.dependents,
    ...(version.atLeast(TAINTED_VERSION) ? { tainted: n.tainted } : {}),
    ...(n.details !== undefined ? { details: n.details } : {}),
  };
}
