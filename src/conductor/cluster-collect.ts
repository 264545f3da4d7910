/**
 * Collecting one attribute across a cluster (`GET /v1/clusters/{id}/attrs/{path}`): each
 * member node's API object (plus `details` from its profile when the path asks for them) is
 * matched against a JSONPath and the first match reported.
 */
import type { RequestContext } from '../common/context.js';
import { BadRequest } from '../common/errors.js';
import type { JsonPath } from '../common/json-path.js';
import { JsonPathError, parseJsonPath } from '../common/json-path.js';
import { isoZ } from '../common/time.js';
import type { NodeRecord } from '../db/queries/nodes.js';
import { decodeNode } from '../db/queries/nodes.js';
import { decodeProfile } from '../db/queries/profiles.js';
import { nodeView, profileCallContext, profileView } from '../engine/profile-context.js';
import { profileBehaviours } from '../profiles/index.js';
import { findCluster } from './cluster-support.js';
import type { ConductorDeps } from './deps.js';
import { projectScope } from './deps.js';

/** One collected value. */
export interface CollectedAttribute {
  readonly id: string;
  readonly value: unknown;
}

/** Parses an attribute path; 400 `Invalid attribute path - <reason>.` when it is not valid. */
export function attributePath(path: string): JsonPath {
  try {
    return parseJsonPath(path);
  } catch (err) {
    if (err instanceof JsonPathError)
      throw new BadRequest(`Invalid attribute path - ${err.message}`);
    throw err;
  }
}

/** A node as the conductor describes it to clients (upstream's node dictionary). */
export function nodeDocument(node: NodeRecord, profileName: string): Record<string, unknown> {
  return {
    id: node.id,
    name: node.name,
    cluster_id: node.clusterId,
    physical_id: node.physicalId,
    profile_id: node.profileId,
    user: node.user,
    project: node.project,
    domain: node.domain,
    index: node.index,
    role: node.role,
    init_at: isoZ(node.initAt),
    created_at: isoZ(node.createdAt),
    updated_at: isoZ(node.updatedAt),
    status: node.status,
    status_reason: node.statusReason,
    data: node.data,
    metadata: node.metadata,
    dependents: node.dependents,
    profile_name: profileName,
    tainted: node.tainted,
  };
}

/** Collect operations bound to their dependencies. */
export function clusterCollectOperations(deps: ConductorDeps) {
  const { db } = deps;

  /** Details of a node's resource from its profile type; `{}` when there is no behaviour. */
  async function details(node: NodeRecord): Promise<Record<string, unknown>> {
    const profileRow = await db.retry((k) =>
      k.selectFrom('profile').selectAll().where('id', '=', node.profileId).executeTakeFirst(),
    );
    if (!profileRow) return {};
    const profile = profileView(decodeProfile(profileRow));
    const behaviour = profileBehaviours.get(profile.type);
    if (!behaviour) return {};
    const signal = AbortSignal.timeout(deps.config.DEFAULT.default_action_timeout * 1000);
    const ctx = await profileCallContext(deps, node, profile, signal);
    return behaviour.details(nodeView(node), profile, ctx);
  }

  return {
    /** The first value matching `path` on each member node that has one. */
    async collect(
      ctx: RequestContext,
      identity: string,
      path: string,
    ): Promise<CollectedAttribute[]> {
      const matcher = attributePath(path);
      const { nodes, names } = await db.retry(async (k) => {
        const cluster = await findCluster(k, ctx, identity);
        let q = k.selectFrom('node').selectAll().where('cluster_id', '=', cluster.id);
        const project = projectScope(ctx);
        if (project !== null) q = q.where('project', '=', project);
        const rows = (await q.orderBy('index').orderBy('id').execute()).map(decodeNode);
        const profileIds = [...new Set(rows.map((n) => n.profileId))];
        const profileRows =
          profileIds.length === 0
            ? []
            : await k
                .selectFrom('profile')
                .select(['id', 'name'])
                .where('id', 'in', profileIds)
                .execute();
        return { nodes: rows, names: new Map(profileRows.map((p) => [p.id, p.name])) };
      });
      const wantsDetails = path.includes('details');
      const out: CollectedAttribute[] = [];
      for (const node of nodes) {
        const doc = nodeDocument(node, names.get(node.profileId) ?? 'Unknown');
        if (node.physicalId && wantsDetails) doc.details = await details(node);
        const matches = matcher.find(doc);
        if (matches.length > 0) out.push({ id: node.id, value: matches[0] });
      }
      return out;
    },
  };
}
