/** Wire shape of profiles. */
import { isoZ } from '../../common/time.js';
import type { ProfileRecord } from '../../db/queries/profiles.js';

/** A profile as the API returns it. */
export function profileView(p: ProfileRecord): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    type: p.type,
    user: p.user,
    project: p.project,
    domain: p.domain,
    spec: p.spec,
    metadata: p.metadata,
    created_at: isoZ(p.createdAt),
    updated_at: isoZ(p.updatedAt),
  };
}
