/** Security groups of the fake Neutron: every project has a `default` group, made on first use. */
import type { Resource } from '../../types.js';
import { ADMIN_PROJECT_ID, catalogueId, securityGroupDoc } from '../catalogue.js';
import { conflict, isoZ, stableUuid } from '../common.js';
import { K } from '../kinds.js';
import type { Caller, FakeWorld } from '../world.js';

function defaultGroupId(projectId: string): string {
  return projectId === ADMIN_PROJECT_ID
    ? catalogueId('security_group', 'default')
    : stableUuid(`security_group:default@${projectId}`);
}

/** The `default` security group of a project (created when the project first needs it). */
export function defaultSecurityGroup(world: FakeWorld, projectId: string): Resource {
  const id = defaultGroupId(projectId);
  const known = world.store.get(K.securityGroup, id);
  if (known) return known.r;
  return world.store.tx(() => {
    const existing = world.store.get(K.securityGroup, id);
    if (existing) return existing.r;
    const doc = securityGroupDoc(id, projectId, isoZ(world.now()));
    world.save(K.securityGroup, doc);
    return doc.r;
  });
}

/**
 * A security group by id or name. By name, `projectId` limits the search to that project;
 * without it the caller's project is searched first, then every project.
 */
export function findSecurityGroup(
  world: FakeWorld,
  caller: Caller,
  nameOrId: string,
  projectId?: string,
): Resource | null {
  const scope = projectId ?? caller.projectId;
  if (nameOrId === 'default') return defaultSecurityGroup(world, scope);
  const byId = world.store.get(K.securityGroup, nameOrId);
  if (byId && (projectId === undefined || byId.r.project_id === projectId)) return byId.r;
  const named = world.store.byName(K.securityGroup, nameOrId).map((d) => d.r);
  const own = named.filter((sg) => sg.project_id === scope);
  const candidates = own.length > 0 || projectId !== undefined ? own : named;
  if (candidates.length > 1)
    throw conflict(
      `Multiple security_group matches found for name '${nameOrId}', use an ID to be more specific.`,
    );
  return candidates[0] ?? null;
}
