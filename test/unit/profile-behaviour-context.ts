/**
 * A ProfileCallContext over the fake cloud for profile behaviour tests: drivers of one user,
 * an AbortController, short timeouts, node data and lookups kept in memory.
 */
import { createFakeCloud, type FakeCloud } from '../../src/drivers/fake/index.js';
import type {
  NodeView,
  ProfileCallContext,
  ProfileSettings,
  ProfileView,
} from '../../src/engine/contracts.js';
import { parseProfileSpec } from '../../src/profiles/index.js';

/** Everything a behaviour test works with. */
export interface Rig {
  readonly cloud: FakeCloud;
  readonly ctx: ProfileCallContext;
  readonly controller: AbortController;
  /** Every `data` stored through `saveNodeData`, in order. */
  readonly saved: Record<string, unknown>[];
  /** Seconds of every `sleep`. */
  readonly sleeps: number[];
  /** Nodes `lookup` knows, with their profiles. */
  readonly nodes: { node: NodeView; profile: ProfileView }[];
  /** The last stored data (or `{}`). */
  lastData(): Record<string, unknown>;
}

/** Settings with short timeouts, so that failures show up quickly. */
export const TEST_SETTINGS: ProfileSettings = {
  novaTimeout: 5,
  actionTimeout: 5,
  batchInterval: 3,
};

/** The user the drivers act for. */
export const USER = { userId: 'user-1', projectId: 'project-1' };

/** A rig over a new fake cloud (close it with `rig.cloud.close()`). */
export function makeRig(settings: Partial<ProfileSettings> = {}): Rig {
  const cloud = createFakeCloud();
  const controller = new AbortController();
  const saved: Record<string, unknown>[] = [];
  const sleeps: number[] = [];
  const nodes: { node: NodeView; profile: ProfileView }[] = [];
  const find = (identity: string) =>
    nodes.find((n) => n.node.id === identity || n.node.name === identity) ?? null;
  const ctx: ProfileCallContext = {
    drivers: cloud.drivers(USER),
    signal: controller.signal,
    settings: { ...TEST_SETTINGS, ...settings },
    async saveNodeData(data) {
      saved.push(structuredClone(data));
    },
    lookup: {
      async findNode(identity) {
        return find(identity)?.node ?? null;
      },
      async clusterNodes(identity) {
        const members = nodes.filter((n) => n.node.clusterId === identity).map((n) => n.node);
        return members.length > 0 ? members : null;
      },
      async nodeProfile(node) {
        const entry = find(node.id);
        if (entry === null) throw new Error(`unknown node ${node.id}`);
        return entry.profile;
      },
    },
    async sleep(seconds) {
      sleeps.push(seconds);
      if (controller.signal.aborted) throw controller.signal.reason;
    },
  };
  return {
    cloud,
    ctx,
    controller,
    saved,
    sleeps,
    nodes,
    lastData: () => saved.at(-1) ?? {},
  };
}

let counter = 0;

/** A node view (an orphan in ACTIVE status unless told otherwise). */
export function makeNode(overrides: Partial<NodeView> = {}): NodeView {
  counter += 1;
  const id = `0000000${counter}-aaaa-4bbb-8ccc-${String(counter).padStart(12, '0')}`;
  return {
    id,
    name: `node-${counter}`,
    clusterId: '',
    index: -1,
    physicalId: null,
    status: 'ACTIVE',
    role: null,
    user: USER.userId,
    project: USER.projectId,
    metadata: {},
    data: {},
    ...overrides,
  };
}

/** A profile view of a type with the given spec properties (resolved as profile create does). */
export function makeProfile(
  type: 'os.nova.server' | 'os.heat.stack' | 'container.dockerinc.docker',
  properties: Record<string, unknown>,
  name = 'prof',
): ProfileView {
  const parsed = parseProfileSpec({ type, version: '1.0', properties });
  return {
    id: `profile-${name}`,
    name,
    type: parsed.type.typeName,
    properties: parsed.properties,
    context: {},
  };
}

/** A Nova server profile booting `cirros` on `m1.tiny` with the given extra properties. */
export function novaProfile(properties: Record<string, unknown> = {}, name = 'prof'): ProfileView {
  return makeProfile('os.nova.server', { flavor: 'm1.tiny', image: 'cirros', ...properties }, name);
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}
