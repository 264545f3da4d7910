/**
 * Test support for `os.nova.server-1.1` behaviour: the fake-cloud rig of the profile tests
 * with claims on pooled resources kept in memory (one resource, one holder), nodes that the
 * rig's lookups know, and 1.1 profiles.
 */
import type {
  NodeView,
  ProfileCallContext,
  ProfileView,
  ResourceClaim,
  ResourceClaims,
} from '../../src/engine/contracts.js';
import { novaServer11Behaviour, parseProfileSpec } from '../../src/profiles/index.js';
import { makeNode, makeRig, type Rig } from './profile-behaviour-context.js';

/** In-memory claims; `alive` says which nodes still exist (others' claims are stale). */
export function memoryClaims(alive: (nodeId: string) => boolean = () => true): ResourceClaims & {
  rows: ResourceClaim[];
} {
  const rows: ResourceClaim[] = [];
  return {
    rows,
    async claim({ kind, pool, candidates, nodeId, sticky }) {
      for (let i = rows.length - 1; i >= 0; i -= 1) {
        const row = rows[i];
        if (row && row.kind === kind && !alive(row.nodeId)) rows.splice(i, 1);
      }
      const free = candidates.find((c) => !rows.some((r) => r.kind === kind && r.resourceId === c));
      if (free === undefined) return null;
      rows.push({ kind, pool, resourceId: free, nodeId, sticky });
      return free;
    },
    async held(nodeId) {
      return rows.filter((r) => r.nodeId === nodeId);
    },
    async release(kind, resourceId, nodeId) {
      const at = rows.findIndex(
        (r) => r.kind === kind && r.resourceId === resourceId && r.nodeId === nodeId,
      );
      if (at >= 0) rows.splice(at, 1);
    },
  };
}

/** A rig whose context has in-memory claims. */
export interface Rig11 extends Rig {
  readonly claims: ReturnType<typeof memoryClaims>;
  /** The context with claims (use instead of `ctx`). */
  readonly ctx11: ProfileCallContext;
  /** Nodes deleted for good (their claims become stale). */
  readonly gone: Set<string>;
}

/** A rig for 1.1 behaviour tests. */
export function makeRig11(): Rig11 {
  const rig = makeRig();
  const gone = new Set<string>();
  const claims = memoryClaims((id) => !gone.has(id));
  const ctx11: ProfileCallContext = { ...rig.ctx, claims };
  return Object.assign(rig, { claims, ctx11, gone });
}

/** An `os.nova.server-1.1` profile booting cirros on m1.tiny with the given properties. */
export function nova11Profile(properties: Record<string, unknown> = {}, name = 'p11'): ProfileView {
  const parsed = parseProfileSpec({
    type: 'os.nova.server',
    version: '1.1',
    properties: { flavor: 'm1.tiny', image: 'cirros', ...properties },
  });
  return {
    id: `profile-${name}`,
    name,
    type: parsed.type.typeName,
    properties: parsed.properties,
    context: {},
  };
}

/**
 * Creates a node's server with a separate data record per node (the rig's `saved` list is
 * shared), registers it with the rig's lookups and returns it.
 */
export async function createNode11(
  rig: Rig11,
  profile: ProfileView,
  overrides: Partial<NodeView> = {},
): Promise<NodeView> {
  const node = makeNode(overrides);
  const ctx = nodeContext(rig, node);
  const physicalId = await novaServer11Behaviour.create(node, profile, ctx.ctx);
  const view: NodeView = { ...node, physicalId, data: ctx.data() };
  rig.nodes.push({ node: view, profile });
  return view;
}

/** A context for one node whose stored data is kept apart from other nodes'. */
export function nodeContext(
  rig: Rig11,
  node: NodeView,
): { ctx: ProfileCallContext; data(): Record<string, unknown> } {
  let data: Record<string, unknown> = structuredClone({ ...node.data });
  return {
    ctx: {
      ...rig.ctx11,
      async saveNodeData(next) {
        data = structuredClone(next);
      },
    },
    data: () => structuredClone(data),
  };
}
