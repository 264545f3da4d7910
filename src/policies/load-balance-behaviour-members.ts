/**
 * Pool membership of cluster nodes for the load-balancing policy: a node in the pool keeps the
 * id of its member in `data.lb_member`.
 */
import { isPlainObject, isTruthy } from '../common/spec-schema/index.js';
import type { MemberView, PolicyContext, PolicyView } from '../engine/contracts.js';
import type { LbResources, LbSession } from './lb-driver.js';
import { addMember, removeMember } from './lb-driver.js';

/** Node status reason when a member could not be added. */
export const ADD_FAILED_REASON = 'Failed in adding node into lb pool.';
/** Node status reason when a member could not be removed. */
export const REMOVE_FAILED_REASON = 'Failed in removing node from lb pool.';

/** The binding data of the load-balancing policy. */
export interface LbBindingData extends LbResources {
  preexisting?: boolean;
  [key: string]: unknown;
}

/** The Octavia session of a policy: its drivers, `lb_status_timeout` and the action's signal. */
export async function lbSession(policy: PolicyView, ctx: PolicyContext): Promise<LbSession> {
  const timeout = Number(policy.properties.lb_status_timeout ?? 300);
  return {
    drivers: await ctx.drivers(),
    timeout: Number.isFinite(timeout) && timeout > 0 ? timeout : 300,
    signal: ctx.signal,
  };
}

/** The member id a node records, or null. */
export function memberOf(node: Pick<MemberView, 'data'>): string | null {
  const id = node.data.lb_member;
  return isTruthy(id) ? String(id) : null;
}

function withoutMember(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { lb_member: _gone, ...rest } = data;
  return rest;
}

/** The pool port and subnet members are made on. */
function poolTarget(policy: PolicyView): { port: number; subnet: string } {
  const pool = isPlainObject(policy.properties.pool) ? policy.properties.pool : {};
  return { port: Number(pool.protocol_port ?? 80), subnet: String(pool.subnet ?? '') };
}

/** Options of a membership change. */
export interface MembershipOptions {
  /** Mark nodes WARNING when their member cannot be changed (default true). */
  readonly markFailures?: boolean;
  /** The members read before (saves a read). */
  readonly members?: readonly MemberView[];
}

/**
 * Adds the nodes to the pool (nodes already in it are skipped); returns the ids of the nodes
 * that could not be added (marked WARNING unless told not to).
 */
export async function addNodes(
  policy: PolicyView,
  data: LbBindingData,
  nodeIds: readonly string[],
  ctx: PolicyContext,
  s: LbSession,
  options: MembershipOptions = {},
): Promise<string[]> {
  const members = options.members ?? (await ctx.members());
  const byId = new Map(members.map((m) => [m.id, m]));
  const { port, subnet } = poolTarget(policy);
  const failed: string[] = [];
  for (const id of nodeIds) {
    const node = byId.get(id);
    if (!node || memberOf(node)) continue;
    const details: Record<string, unknown> = node.physicalId
      ? await ctx.nodeDetails(id).catch(() => ({}))
      : {};
    const source = {
      name: typeof details.name === 'string' ? details.name : node.name,
      addresses: isPlainObject(details.addresses) ? details.addresses : {},
    };
    const memberId = await addMember(s, source, data.loadbalancer, data.pool ?? '', port, subnet);
    if (memberId === null) {
      failed.push(id);
      if (options.markFailures !== false) await ctx.setNodeStatus(id, 'WARNING', ADD_FAILED_REASON);
      continue;
    }
    await ctx.saveNodeData(id, { ...node.data, lb_member: memberId });
  }
  return failed;
}

/**
 * Removes the members of the nodes from the pool (nodes without one are skipped); returns the
 * ids of the nodes whose member could not be removed (marked WARNING unless told not to; the
 * record of the member is dropped when failures are not marked).
 */
export async function removeNodes(
  data: LbBindingData,
  nodeIds: readonly string[],
  ctx: PolicyContext,
  s: LbSession,
  options: MembershipOptions = {},
): Promise<string[]> {
  const members = options.members ?? (await ctx.members());
  const byId = new Map(members.map((m) => [m.id, m]));
  const mark = options.markFailures !== false;
  const failed: string[] = [];
  for (const id of nodeIds) {
    const node = byId.get(id);
    const memberId = node ? memberOf(node) : null;
    if (!node || !memberId) continue;
    const removed = await removeMember(s, data.loadbalancer, data.pool ?? '', memberId);
    if (!removed && mark) {
      failed.push(id);
      await ctx.setNodeStatus(id, 'WARNING', REMOVE_FAILED_REASON);
      continue;
    }
    await ctx.saveNodeData(id, withoutMember(node.data));
  }
  return failed;
}

/** Drops the member records of the nodes (their members are gone with the pool). */
export async function forgetMembers(
  members: readonly MemberView[],
  ctx: PolicyContext,
): Promise<void> {
  for (const node of members) {
    if ('lb_member' in node.data) await ctx.saveNodeData(node.id, withoutMember(node.data));
  }
}
