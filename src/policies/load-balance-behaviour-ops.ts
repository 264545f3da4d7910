/**
 * The load-balancing policy around actions: before an action removes nodes their members
 * leave the pool; after an action added nodes (or recreated one) they join it. The aim is a
 * pool whose members are the cluster's ACTIVE nodes after every action.
 */
import { ActionCause } from '../common/constants.js';
import { pyRepr } from '../common/py-repr.js';
import type {
  PolicyActionView,
  PolicyBindingView,
  PolicyCheckResult,
  PolicyContext,
  PolicyView,
} from '../engine/contracts.js';
import { growCandidates, planShrink } from './lb-candidates.js';
import { removeMember } from './lb-driver.js';
import { loadBalancePolicyTypes } from './load-balance.js';
import type { LbBindingData } from './load-balance-behaviour-members.js';
import {
  addNodes,
  forgetMembers,
  lbSession,
  memberOf,
  removeNodes,
} from './load-balance-behaviour-members.js';
import { rebuildLbIfBroken, watchLb } from './load-balance-behaviour-watch.js';
import { readBindingData } from './policy-data.js';

const OK: PolicyCheckResult = { ok: true };

const TARGETS = loadBalancePolicyTypes[0]?.targets ?? [];

/**
 * The type's targets, plus the NODE_LEAVE of a deletion deferred by lifecycle hooks (those
 * nodes leave without being deleted, and must leave the pool too), plus the end of a cluster
 * recovery (its node recoveries run no policy checks of their own), plus the end of a cluster
 * check (the load balancer is watched: load-balance-behaviour-watch.ts).
 */
export function lbNeedCheck(when: 'BEFORE' | 'AFTER', action: PolicyActionView): boolean {
  if (TARGETS.some(([w, a]) => w === when && a === action.action)) return true;
  if (when === 'AFTER')
    return action.action === 'CLUSTER_RECOVER' || action.action === 'CLUSTER_CHECK';
  return action.action === 'NODE_LEAVE' && action.cause === ActionCause.DERIVED_LCH;
}

function bindingData(binding: PolicyBindingView): LbBindingData | null {
  const data = readBindingData(binding) as LbBindingData | null;
  return data && typeof data.loadbalancer === 'string' && data.loadbalancer ? data : null;
}

/** Before a shrinking action: take the members of the nodes that go out of the pool. */
export async function lbPreOp(
  policy: PolicyView,
  binding: PolicyBindingView,
  action: PolicyActionView,
  ctx: PolicyContext,
): Promise<PolicyCheckResult> {
  const data = bindingData(binding);
  if (!data) return OK;
  const members = await ctx.members();
  const cluster = await ctx.cluster();
  const plan = planShrink(action, {
    members,
    cluster,
    maxNodesPerCluster: ctx.settings.maxNodesPerCluster,
  });
  if (plan.deletion) action.data.deletion = plan.deletion;
  if (plan.deferred || plan.candidates.length === 0) return OK;
  const s = await lbSession(policy, ctx);
  const failed = await removeNodes(data, plan.candidates, ctx, s, { members });
  if (failed.length > 0) {
    return {
      ok: false,
      reason: `Failed in removing deleted node(s) from lb pool: ${pyRepr(failed)}`,
    };
  }
  return OK;
}

/**
 * After NODE_RECOVER: the node joins the pool when it has no member, and rejoins (its stale
 * member removed first) when the recovery recreated its server; otherwise nothing changes.
 */
async function recoveredNodes(
  nodeId: string,
  data: LbBindingData,
  ctx: PolicyContext,
  policy: PolicyView,
): Promise<string[]> {
  const node = (await ctx.members()).find((m) => m.id === nodeId);
  if (!node) return [];
  const { recovery, ...rest } = node.data;
  if (recovery !== undefined) await ctx.saveNodeData(nodeId, rest);
  const current = { ...node, data: rest };
  if (!memberOf(current)) return [nodeId];
  if (recovery !== 'RECREATE') return [];
  const s = await lbSession(policy, ctx);
  await removeNodes(data, [nodeId], ctx, s, { markFailures: false, members: [current] });
  return [nodeId];
}

/**
 * After a replacement that failed: the originals still in the cluster rejoin the pool they
 * were taken out of before.
 */
async function restoreOriginals(
  action: PolicyActionView,
  data: LbBindingData,
  ctx: PolicyContext,
  policy: PolicyView,
): Promise<void> {
  const map = action.inputs.candidates;
  const originals = map && typeof map === 'object' ? Object.keys(map) : [];
  const members = await ctx.members();
  const back = members
    .filter((m) => originals.includes(m.id) && m.status === 'ACTIVE' && !memberOf(m))
    .map((m) => m.id);
  if (back.length > 0) await addNodes(policy, data, back, ctx, await lbSession(policy, ctx));
}

/**
 * Nodes recovered by actions that run no policy checks of their own (the node recoveries of
 * a cluster recovery or of the health check before scaling): their marker is cleared, and a
 * node whose server was recreated leaves the pool with its stale member. Returns the ids of
 * the ACTIVE recovered nodes now outside the pool.
 */
async function settleRecovered(
  data: LbBindingData,
  ctx: PolicyContext,
  s: Awaited<ReturnType<typeof lbSession>>,
): Promise<string[]> {
  const outside: string[] = [];
  for (const node of await ctx.members()) {
    const { recovery, ...rest } = node.data;
    if (recovery === undefined) continue;
    await ctx.saveNodeData(node.id, rest);
    const current = { ...node, data: rest };
    if (recovery === 'RECREATE' && memberOf(node)) {
      await removeNodes(data, [node.id], ctx, s, { markFailures: false, members: [current] });
      if (node.status === 'ACTIVE') outside.push(node.id);
    } else if (node.status === 'ACTIVE' && !memberOf(current)) {
      outside.push(node.id);
    }
  }
  return outside;
}

/**
 * After a cluster recovery: nodes whose server was recreated rejoin with their new address,
 * ACTIVE nodes outside the pool join it, and members of a pool the policy made that belong to
 * no node any more (nodes deleted to restore the capacity) leave it.
 */
async function reconcile(
  policy: PolicyView,
  data: LbBindingData,
  ctx: PolicyContext,
): Promise<PolicyCheckResult> {
  const s = await lbSession(policy, ctx);
  await settleRecovered(data, ctx, s);
  let members = await ctx.members();
  const listed = data.pool
    ? await s.drivers.loadBalancer.listMembers(data.pool).catch(() => null)
    : null;
  if (listed) {
    if (data.preexisting !== true) {
      const known = new Set(members.map(memberOf));
      for (const stale of listed.filter((m) => !known.has(m.id))) {
        await removeMember(s, data.loadbalancer, data.pool ?? '', stale.id);
      }
    }
    // Nodes whose member was removed behind the policy's back forget it and join again.
    const present = new Set(listed.map((m) => m.id));
    const vanished = members.filter((m) => memberOf(m) && !present.has(memberOf(m) ?? ''));
    if (vanished.length > 0) {
      await forgetMembers(vanished, ctx);
      members = await ctx.members();
    }
  }
  const missing = members.filter((m) => m.status === 'ACTIVE' && !memberOf(m)).map((m) => m.id);
  const failed = await addNodes(policy, data, missing, ctx, s, { members });
  if (failed.length > 0) {
    return { ok: false, reason: `Failed in adding nodes into lb pool: ${pyRepr(failed)}` };
  }
  return OK;
}

/** `settleRecovered`, opening an Octavia session only when some node carries a marker. */
async function settleRecoveredIfAny(
  data: LbBindingData,
  ctx: PolicyContext,
  policy: PolicyView,
): Promise<string[]> {
  const members = await ctx.members();
  if (!members.some((m) => m.data.recovery !== undefined)) return [];
  return settleRecovered(data, ctx, await lbSession(policy, ctx));
}

/** After a growing action that succeeded: put the new (or recreated) nodes into the pool. */
export async function lbPostOp(
  policy: PolicyView,
  binding: PolicyBindingView,
  action: PolicyActionView,
  ctx: PolicyContext,
): Promise<PolicyCheckResult> {
  const data = bindingData(binding);
  if (!data) return OK;
  if (action.action === 'CLUSTER_CHECK')
    return watchLb(policy, data, ctx, await lbSession(policy, ctx));
  if (action.action === 'CLUSTER_RECOVER') {
    const rebuilt = await rebuildLbIfBroken(
      policy,
      binding,
      data,
      ctx,
      await lbSession(policy, ctx),
    );
    if (!rebuilt.ok) return rebuilt;
    return reconcile(policy, rebuilt.data, ctx);
  }
  // A scale-out or resize may have recovered dead members first (health check before scaling).
  const recovered =
    action.action === 'CLUSTER_SCALE_OUT' || action.action === 'CLUSTER_RESIZE'
      ? await settleRecoveredIfAny(data, ctx, policy)
      : [];
  if ((action.inputs.action_result ?? 'OK') !== 'OK') {
    if (action.action === 'CLUSTER_REPLACE_NODES')
      await restoreOriginals(action, data, ctx, policy);
    if (recovered.length === 0) return OK;
  }
  let candidates = (action.inputs.action_result ?? 'OK') === 'OK' ? growCandidates(action) : [];
  if (action.action === 'NODE_RECOVER') {
    candidates = await recoveredNodes(action.target, data, ctx, policy);
  }
  candidates = [...new Set([...recovered, ...candidates])];
  if (candidates.length === 0) return OK;
  const s = await lbSession(policy, ctx);
  const failed = await addNodes(policy, data, candidates, ctx, s);
  if (failed.length > 0) {
    return { ok: false, reason: `Failed in adding nodes into lb pool: ${pyRepr(failed)}` };
  }
  return OK;
}
