/** Wire shape of cluster–policy bindings. */
import { isoMicros } from '../../common/time.js';
import type { BindingRecord } from '../../conductor/cluster-policies.js';

/** A binding as the API returns it (`last_op` with microseconds and no zone, as upstream). */
export function clusterPolicyView(b: BindingRecord): Record<string, unknown> {
  return {
    id: b.id,
    cluster_id: b.clusterId,
    policy_id: b.policyId,
    enabled: b.enabled,
    data: b.data,
    last_op: isoMicros(b.lastOp),
    priority: b.priority,
    cluster_name: b.clusterName,
    policy_name: b.policyName,
    policy_type: b.policyType,
  };
}
