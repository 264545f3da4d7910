/** Wire shape of policies. */
import { isoMicros } from '../../common/time.js';
import type { PolicyRecord } from '../../db/queries/policies.js';

/** A policy as the API returns it (timestamps with microseconds and no zone, as upstream). */
export function policyView(p: PolicyRecord): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    type: p.type,
    user: p.user,
    project: p.project,
    domain: p.domain,
    spec: p.spec,
    data: p.data ?? {},
    created_at: isoMicros(p.createdAt),
    updated_at: isoMicros(p.updatedAt),
  };
}
