/**
 * What the Docker container profile type (`container.dockerinc.docker-1.0`) does: one
 * container per node, run by the Docker daemon of a node made from a Nova server or Heat
 * stack profile. The host chosen at create is recorded in the node's `data.host_node_id`, so
 * that later calls reach the same daemon; the `dependents` bookkeeping between host and
 * container (cluster and node rows) is left to the caller.
 */
import { randomInt } from 'node:crypto';
import {
  EResourceCreation,
  EResourceDeletion,
  EResourceOperation,
  EResourceUpdate,
  InvalidSpec,
} from '../../common/errors.js';
import { isPlainObject } from '../../common/spec-schema/index.js';
import type { ContainerDriver, Resource } from '../../drivers/types.js';
import type {
  NodeView,
  ProfileBehaviour,
  ProfileCallContext,
  ProfileView,
} from '../../engine/contracts.js';
import {
  canUpdate,
  isNotFound,
  NodeDataStore,
  randomName,
  reasonOf,
  recreateResource,
  textOf,
} from '../behaviour-support.js';
import { dockerSchema } from './docker.js';

/** Profile types whose nodes may host containers. */
const HOST_TYPES = ['os.nova.server', 'os.heat.stack'];

/** Key of `node.data` recording the host node of a container. */
export const DOCKER_HOST_KEY = 'host_node_id';

/** The node hosting a container: recorded, named by `host_node`, or a node of `host_cluster`. */
async function hostNode(node: NodeView, profile: ProfileView, ctx: ProfileCallContext) {
  const recorded = textOf(node.data[DOCKER_HOST_KEY]);
  const named = recorded ?? textOf(profile.properties.host_node);
  if (named !== null) {
    const host = await ctx.lookup.findNode(named);
    if (host === null) throw new Error(`The host node '${named}' could not be found`);
    return host;
  }
  const cluster = textOf(profile.properties.host_cluster) ?? '';
  const members = await ctx.lookup.clusterNodes(cluster);
  if (members === null) throw new Error(`The host cluster '${cluster}' could not be found`);
  const active = members.filter((n) => n.status === 'ACTIVE');
  const chosen = active[randomInt(Math.max(active.length, 1))];
  if (chosen === undefined) throw new Error(`The cluster (${cluster}) contains no active nodes`);
  return chosen;
}

/** The first fixed IPv4 address of a server. */
function serverAddress(server: Resource): string | null {
  const addresses = isPlainObject(server.addresses) ? server.addresses : {};
  for (const list of Object.values(addresses)) {
    if (!Array.isArray(list)) continue;
    for (const a of list) {
      if (!isPlainObject(a) || typeof a.addr !== 'string') continue;
      const fixed = (a['OS-EXT-IPS:type'] ?? 'fixed') === 'fixed';
      if (fixed && (a.version === 4 || (a.version === undefined && a.addr.includes('.')))) {
        return a.addr;
      }
    }
  }
  return null;
}

/** The output `fixed_ip` of a stack. */
function stackAddress(stack: Resource): string | null {
  const outputs = Array.isArray(stack.outputs) ? stack.outputs : [];
  for (const o of outputs) {
    if (isPlainObject(o) && o.output_key === 'fixed_ip') return textOf(o.output_value);
  }
  return null;
}

/** The chosen host node and a client of its Docker daemon. */
async function connect(node: NodeView, profile: ProfileView, ctx: ProfileCallContext) {
  const host = await hostNode(node, profile, ctx);
  const hostType = (await ctx.lookup.nodeProfile(host)).type.replace(/-[^-]*$/, '');
  if (!HOST_TYPES.includes(hostType)) {
    throw new Error(`Type of host node (${hostType}) is not supported`);
  }
  if (!host.physicalId) throw new Error('Unable to determine the IP address of host node');
  let ip: string | null;
  if (hostType === 'os.nova.server') {
    ip = serverAddress(await ctx.drivers.compute.getServer(host.physicalId));
  } else {
    ip = stackAddress(await ctx.drivers.orchestration.getStack(host.physicalId));
    if (ip === null) throw new Error("Output 'fixed_ip' is missing from the provided stack node");
  }
  if (ip === null) throw new Error('Unable to determine the IP address of host node');
  const port = typeof profile.properties.port === 'number' ? profile.properties.port : 2375;
  return { host, docker: ctx.drivers.container(`tcp://${ip}:${port}`) };
}

async function createContainer(
  node: NodeView,
  profile: ProfileView,
  ctx: ProfileCallContext,
): Promise<string> {
  const props = profile.properties;
  try {
    const { host, docker } = await connect(node, profile, ctx);
    const store = new NodeDataStore(node, ctx);
    store.data[DOCKER_HOST_KEY] = host.id;
    await store.save();
    const id = await docker.createContainer({
      image: textOf(props.image) ?? '',
      name: textOf(props.name) ?? `${node.name}-${randomName(8)}`,
      command: textOf(props.command),
    });
    await docker.startContainer(id);
    return id.slice(0, 36);
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw new EResourceCreation('container', reasonOf(err));
  }
}

async function deleteContainer(
  node: NodeView,
  profile: ProfileView,
  ctx: ProfileCallContext,
): Promise<void> {
  if (!node.physicalId) return;
  const ignoreMissing = (err: unknown) => {
    if (!isNotFound(err)) throw err;
  };
  try {
    const { docker } = await connect(node, profile, ctx);
    await docker.stopContainer(node.physicalId).catch(ignoreMissing);
    await docker.removeContainer(node.physicalId).catch(ignoreMissing);
  } catch (err) {
    throw new EResourceDeletion('container', node.physicalId, reasonOf(err));
  }
}

async function updateContainer(
  node: NodeView,
  current: ProfileView,
  next: ProfileView,
  ctx: ProfileCallContext,
): Promise<boolean> {
  if (!node.physicalId) return false;
  if (!canUpdate(dockerSchema, current, next)) return false;
  const oldName = textOf(current.properties.name) ?? node.name;
  const newName = textOf(next.properties.name) ?? node.name;
  if (oldName === newName) return true;
  try {
    const { docker } = await connect(node, current, ctx);
    await docker.renameContainer(node.physicalId, newName);
  } catch (err) {
    throw new EResourceUpdate('container', node.physicalId, reasonOf(err));
  }
  return true;
}

type DockerOp = (
  docker: ContainerDriver,
  id: string,
  params: Readonly<Record<string, unknown>>,
) => Promise<void>;

const OPERATIONS: Readonly<Record<string, { verb: string; run: DockerOp }>> = {
  restart: {
    verb: 'restarting',
    run: (docker, id, p) =>
      docker.restartContainer(id, typeof p.wait_time === 'number' ? p.wait_time : undefined),
  },
  pause: { verb: 'pausing', run: (docker, id) => docker.pauseContainer(id) },
  unpause: { verb: 'unpausing', run: (docker, id) => docker.unpauseContainer(id) },
  stop: {
    verb: 'stop',
    run: (docker, id, p) =>
      docker.stopContainer(id, typeof p.timeout === 'number' ? p.timeout : undefined),
  },
};

async function containerOperation(
  node: NodeView,
  profile: ProfileView,
  ctx: ProfileCallContext,
  name: string,
  params: Readonly<Record<string, unknown>>,
): Promise<void> {
  const op = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
  const shortId = (node.physicalId ?? node.id).slice(0, 8);
  if (op === undefined) {
    throw new EResourceOperation(name, 'container', shortId, 'the operation is not supported');
  }
  if (!node.physicalId) {
    throw new EResourceOperation(op.verb, 'container', shortId, 'the node has no container');
  }
  try {
    const { docker } = await connect(node, profile, ctx);
    await op.run(docker, node.physicalId, params);
  } catch (err) {
    throw new EResourceOperation(op.verb, 'container', shortId, reasonOf(err));
  }
}

/**
 * Healthy when the daemon reports the container running (upstream had no check, so a dead
 * container counted as healthy: engine contract §17 item 13). A container the daemon no
 * longer knows is unhealthy; an unreachable daemon is an error of the check.
 */
async function checkContainer(
  node: NodeView,
  profile: ProfileView,
  ctx: ProfileCallContext,
): Promise<boolean> {
  if (!node.physicalId) return false;
  try {
    const { docker } = await connect(node, profile, ctx);
    const info = await docker.inspectContainer(node.physicalId);
    const state = isPlainObject(info.State) ? info.State : {};
    return state.Running === true && state.Paused !== true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw new EResourceOperation(
      'checking',
      'container',
      node.physicalId.slice(0, 8),
      reasonOf(err),
    );
  }
}

async function validateContainerSpec(
  properties: Readonly<Record<string, unknown>>,
  ctx: ProfileCallContext,
): Promise<void> {
  const cluster = textOf(properties.host_cluster);
  const node = textOf(properties.host_node);
  const unknown = (key: string, value: string) =>
    new InvalidSpec(`The specified ${key} '${value}' could not be found or is not unique.`);
  if (cluster !== null) {
    const found = await ctx.lookup.clusterNodes(cluster).catch(() => null);
    if (found === null) throw unknown('host_cluster', cluster);
  }
  if (node !== null) {
    const found = await ctx.lookup.findNode(node).catch(() => null);
    if (found === null) throw unknown('host_node', node);
  }
}

const behaviour: ProfileBehaviour = {
  create: createContainer,
  delete: (node, profile, ctx) => deleteContainer(node, profile, ctx),
  update: (node, current, next, ctx) => updateContainer(node, current, next, ctx),
  check: checkContainer,
  recover: (node, profile, ctx, options) =>
    recreateResource(behaviour, node, profile, ctx, options),
  details: async () => ({}),
  join: async () => true,
  leave: async () => true,
  adopt: async () => ({}),
  operation: containerOperation,
  validateWithCloud: validateContainerSpec,
};

/** Run-time behaviour of `container.dockerinc.docker-1.0`: one container per node. */
export const dockerBehaviour: ProfileBehaviour = Object.freeze(behaviour);
