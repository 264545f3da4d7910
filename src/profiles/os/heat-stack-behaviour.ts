/** What the Heat stack profile type (`os.heat.stack-1.0`) does to the stacks of its nodes. */
import {
  EResourceCreation,
  EResourceDeletion,
  EResourceOperation,
  EResourceUpdate,
  InvalidSpec,
} from '../../common/errors.js';
import { isPlainObject, isTruthy } from '../../common/spec-schema/index.js';
import type { Resource } from '../../drivers/types.js';
import type {
  NodeView,
  ProfileBehaviour,
  ProfileCallContext,
  ProfileView,
} from '../../engine/contracts.js';
import {
  canUpdate,
  errorDetails,
  errorText,
  isNotFound,
  randomName,
  reasonOf,
  recreateResource,
  sameValue,
} from '../behaviour-support.js';
import { heatStackSchema } from './heat-stack.js';
import { stackHealthy } from './heat-stack-health.js';

/** Seconds a stack operation may take: the spec's `timeout` (minutes) or the action timeout. */
function stackTimeout(props: Readonly<Record<string, unknown>>, ctx: ProfileCallContext): number {
  const minutes = props.timeout;
  return typeof minutes === 'number' && minutes > 0 ? minutes * 60 : ctx.settings.actionTimeout;
}

/** The template fields of a stack request: the inline template, else the template URL. */
function templateFields(props: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (isTruthy(props.template)) return { template: props.template };
  if (isTruthy(props.template_url)) return { template_url: props.template_url };
  return { template: props.template ?? {} };
}

function mapOf(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

async function waitStack(
  ctx: ProfileCallContext,
  id: string,
  status: string,
  timeout: number,
): Promise<Resource> {
  const failed = status.replace(/_COMPLETE$/, '_FAILED');
  return ctx.drivers.orchestration.waitForStack(id, status, {
    timeout,
    failures: [failed],
    signal: ctx.signal,
  });
}

function rethrowAbort(ctx: ProfileCallContext): void {
  if (ctx.signal.aborted) throw ctx.signal.reason;
}

async function createStack(
  node: NodeView,
  profile: ProfileView,
  ctx: ProfileCallContext,
): Promise<string> {
  const props = profile.properties;
  const tags = [`cluster_node_id=${node.id}`];
  if (node.clusterId) tags.push(`cluster_id=${node.clusterId}`, `cluster_node_index=${node.index}`);
  const body: Record<string, unknown> = {
    stack_name: `${node.name}-${randomName(8)}`,
    ...templateFields(props),
    disable_rollback: props.disable_rollback ?? true,
    parameters: mapOf(props.parameters),
    files: mapOf(props.files),
    environment: mapOf(props.environment),
    tags: tags.join(','),
  };
  if (typeof props.timeout === 'number') body.timeout_mins = props.timeout;
  let stackId: string | null = null;
  try {
    const stack = await ctx.drivers.orchestration.createStack(body);
    stackId = stack.id;
    await waitStack(ctx, stackId, 'CREATE_COMPLETE', stackTimeout(props, ctx));
    return stackId;
  } catch (err) {
    rethrowAbort(ctx);
    throw new EResourceCreation('stack', reasonOf(err), stackId);
  }
}

async function deleteStack(node: NodeView, ctx: ProfileCallContext): Promise<void> {
  const stackId = node.physicalId;
  if (!stackId) return;
  const heat = ctx.drivers.orchestration;
  try {
    try {
      await heat.deleteStack(stackId);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    await heat.waitForStackDelete(stackId, {
      timeout: ctx.settings.actionTimeout,
      signal: ctx.signal,
    });
  } catch (err) {
    rethrowAbort(ctx);
    throw new EResourceDeletion('stack', stackId, reasonOf(err));
  }
}

/** The fields of `next` that differ from `current`, as a stack update sends them. */
function changedFields(current: ProfileView, next: ProfileView): Record<string, unknown> {
  const a = current.properties;
  const b = next.properties;
  const fields: Record<string, unknown> = {};
  if (!sameValue(a.template, b.template) || !sameValue(a.template_url, b.template_url)) {
    Object.assign(fields, templateFields(b));
  }
  if (!sameValue(a.parameters, b.parameters)) fields.parameters = mapOf(b.parameters);
  if (!sameValue(a.timeout, b.timeout)) fields.timeout_mins = b.timeout ?? null;
  if (!sameValue(a.disable_rollback, b.disable_rollback)) {
    fields.disable_rollback = b.disable_rollback;
  }
  if (!sameValue(a.files, b.files)) fields.files = mapOf(b.files);
  if (!sameValue(a.environment, b.environment)) fields.environment = mapOf(b.environment);
  return fields;
}

async function updateStack(
  node: NodeView,
  current: ProfileView,
  next: ProfileView,
  ctx: ProfileCallContext,
): Promise<boolean> {
  const stackId = node.physicalId;
  if (!stackId) return false;
  if (!canUpdate(heatStackSchema, current, next)) return false;
  const fields = changedFields(current, next);
  if (Object.keys(fields).length === 0) return true;
  try {
    await ctx.drivers.orchestration.updateStack(stackId, fields);
    await waitStack(ctx, stackId, 'UPDATE_COMPLETE', stackTimeout(next.properties, ctx));
  } catch (err) {
    rethrowAbort(ctx);
    throw new EResourceUpdate('stack', stackId, reasonOf(err));
  }
  return true;
}

async function checkStack(
  node: NodeView,
  profile: ProfileView,
  ctx: ProfileCallContext,
): Promise<boolean> {
  const stackId = node.physicalId;
  if (!stackId) return false;
  try {
    await ctx.drivers.orchestration.checkStack(stackId);
    await waitStack(ctx, stackId, 'CHECK_COMPLETE', stackTimeout(profile.properties, ctx));
  } catch (err) {
    rethrowAbort(ctx);
    throw new EResourceOperation('checking', 'stack', stackId, reasonOf(err));
  }
  return true;
}

async function stackDetails(node: NodeView, ctx: ProfileCallContext) {
  if (!node.physicalId) return {};
  try {
    return { ...(await ctx.drivers.orchestration.getStack(node.physicalId)) };
  } catch (err) {
    return errorDetails(err);
  }
}

async function adoptStack(
  physicalId: string,
  ctx: ProfileCallContext,
  overrides: Readonly<Record<string, unknown>> | null | undefined,
): Promise<Record<string, unknown>> {
  const heat = ctx.drivers.orchestration;
  let stack: Resource;
  let template: Record<string, unknown>;
  let environment: Record<string, unknown>;
  let files: Record<string, unknown>;
  try {
    stack = await heat.getStack(physicalId);
    template = await heat.getStackTemplate(physicalId);
    environment = await heat.getStackEnvironment(physicalId);
    files = await heat.getStackFiles(physicalId);
  } catch (err) {
    return errorDetails(err);
  }
  const parameters = Object.fromEntries(
    Object.entries(mapOf(stack.parameters)).filter(([k]) => !k.includes('OS::')),
  );
  const spec: Record<string, unknown> = {
    environment,
    files,
    template,
    parameters,
    timeout: stack.timeout_mins ?? null,
    disable_rollback: stack.disable_rollback ?? true,
  };
  return { ...spec, ...(overrides ?? {}) };
}

function tagsOf(stack: Resource): string[] {
  const tags = stack.tags;
  if (Array.isArray(tags)) return tags.map(String);
  if (typeof tags === 'string') return tags.split(',');
  return [];
}

const CLUSTER_TAG_PREFIXES = ['cluster_id=', 'cluster_node_id=', 'cluster_node_index='];

/** Rewrites the cluster tags of the stack of `node`; false on failure. */
async function retag(
  node: NodeView,
  ctx: ProfileCallContext,
  clusterId: string | null,
): Promise<boolean> {
  const stackId = node.physicalId;
  if (!stackId) return false;
  const heat = ctx.drivers.orchestration;
  try {
    const current = tagsOf(await heat.getStack(stackId));
    const tags = current
      .filter((t) => !CLUSTER_TAG_PREFIXES.some((p) => t.startsWith(p)))
      .map((t) => t.trim())
      .filter((t) => t !== '');
    if (clusterId !== null) {
      tags.push(
        `cluster_id=${clusterId}`,
        `cluster_node_id=${node.id}`,
        `cluster_node_index=${node.index}`,
      );
    }
    if (!sameValue(tags, current)) await heat.updateStack(stackId, { tags: tags.join(',') });
  } catch {
    return false;
  }
  return true;
}

async function stackOperation(
  node: NodeView,
  name: string,
  ctx: ProfileCallContext,
): Promise<void> {
  const stackId = node.physicalId ?? node.id;
  if (name !== 'abandon') {
    throw new EResourceOperation(name, 'stack', stackId, 'the operation is not supported');
  }
  if (!node.physicalId)
    throw new EResourceOperation('abandoning', 'stack', stackId, 'the node has no stack');
  try {
    await ctx.drivers.orchestration.abandonStack(node.physicalId);
  } catch (err) {
    throw new EResourceOperation('abandoning', 'stack', stackId, reasonOf(err));
  }
}

async function validateStackSpec(
  properties: Readonly<Record<string, unknown>>,
  ctx: ProfileCallContext,
): Promise<void> {
  const body: Record<string, unknown> = {
    stack_name: randomName(8),
    ...templateFields(properties),
    parameters: mapOf(properties.parameters),
    files: mapOf(properties.files),
    environment: mapOf(properties.environment),
  };
  try {
    await ctx.drivers.orchestration.createStack(body, { preview: true });
  } catch (err) {
    throw new InvalidSpec(`Failed in validating template: ${errorText(err)}`);
  }
}

const behaviour: ProfileBehaviour = {
  create: createStack,
  delete: (node, _profile, ctx) => deleteStack(node, ctx),
  update: (node, current, next, ctx) => updateStack(node, current, next, ctx),
  check: checkStack,
  healthCheck: (node, _profile, ctx, detection) => stackHealthy(node, ctx, detection),
  recover: (node, profile, ctx, options) =>
    recreateResource(behaviour, node, profile, ctx, options),
  details: (node, _profile, ctx) => stackDetails(node, ctx),
  join: (node, _profile, ctx, clusterId) => retag(node, ctx, clusterId),
  leave: (node, _profile, ctx) => retag(node, ctx, null),
  adopt: (physicalId, ctx, options) => adoptStack(physicalId, ctx, options.overrides),
  operation: (node, _profile, ctx, name) => stackOperation(node, name, ctx),
  validateWithCloud: validateStackSpec,
};

/** Run-time behaviour of `os.heat.stack-1.0`: one Heat stack per node. */
export const heatStackBehaviour: ProfileBehaviour = Object.freeze(behaviour);
