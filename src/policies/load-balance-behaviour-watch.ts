/**
 * Watching what the load-balancing policy made for the user (upstream TODO "provide support
 * for watching all objects we created on behalf of users, like loadbalancer"): a cluster
 * check verifies that the load balancer, its listener, pool and health monitor still exist
 * and work, and reports it in the cluster's `data.loadbalancers`; a cluster recovery rebuilds
 * a load balancer the policy made that was deleted or broke, and puts the nodes back in.
 */
import { isPlainObject, isTruthy } from '../common/spec-schema/index.js';
import type { Resource } from '../drivers/types.js';
import { CloudNotFound } from '../drivers/types.js';
import type {
  PolicyBindingView,
  PolicyCheckResult,
  PolicyContext,
  PolicyView,
} from '../engine/contracts.js';
import type { LbOutcome, LbSession, LbSpec } from './lb-driver.js';
import { createLb } from './lb-driver.js';
import type { LbBindingData } from './load-balance-behaviour-members.js';
import { forgetMembers, memberOf } from './load-balance-behaviour-members.js';
import { envelopeOf, wrapPolicyData } from './policy-data.js';

type Props = Readonly<Record<string, unknown>>;

function map(value: unknown): Props {
  return isPlainObject(value) ? value : {};
}

/** The spec maps of the load balancer to create. */
export function lbSpec(props: Props): LbSpec {
  return {
    vip: map(props.vip),
    pool: map(props.pool),
    healthMonitor: isPlainObject(props.health_monitor) ? props.health_monitor : null,
    availabilityZone: isTruthy(props.availability_zone) ? String(props.availability_zone) : null,
    flavorId: isTruthy(props.flavor_id) ? String(props.flavor_id) : null,
  };
}

/**
 * Sets (or, with null, removes) what the cluster shows of a policy's load balancer under
 * `data.loadbalancers[<policy id>]`, keeping the keys not given.
 */
export async function setClusterLb(
  ctx: PolicyContext,
  policyId: string,
  entry: Record<string, unknown> | null,
): Promise<void> {
  const cluster = await ctx.cluster();
  const data = { ...cluster.data };
  const lbs = { ...map(data.loadbalancers) };
  if (entry) lbs[policyId] = { ...map(lbs[policyId]), ...entry };
  else delete lbs[policyId];
  if (Object.keys(lbs).length > 0) data.loadbalancers = lbs;
  else delete data.loadbalancers;
  await ctx.saveClusterData(data);
}

/** What is wrong with the policy's Octavia objects, or null when they are all there and ACTIVE. */
async function lbProblem(s: LbSession, data: LbBindingData): Promise<string | null> {
  const octavia = s.drivers.loadBalancer;
  const missing = async (
    what: string,
    id: string | undefined,
    get: (id: string) => Promise<Resource>,
  ) => {
    if (!id) return null;
    try {
      const found = await get(id);
      const status = String(found.provisioning_status ?? 'ACTIVE');
      return status === 'ERROR' ? `${what} ${id} is in ERROR` : null;
    } catch (err) {
      if (err instanceof CloudNotFound) return `${what} ${id} is missing`;
      if (s.signal.aborted) throw s.signal.reason;
      return `${what} ${id} cannot be read: ${err instanceof Error ? err.message : String(err)}`;
    }
  };
  return (
    (await missing('load balancer', data.loadbalancer, (id) => octavia.getLoadBalancer(id))) ??
    (await missing('listener', data.listener, (id) => octavia.getListener(id))) ??
    (await missing('pool', data.pool, (id) => octavia.getPool(id))) ??
    (await missing('health monitor', data.healthmonitor, (id) => octavia.getHealthMonitor(id)))
  );
}

/** After a cluster check: verify the objects and the pool members, and report on the cluster. */
export async function watchLb(
  policy: PolicyView,
  data: LbBindingData,
  ctx: PolicyContext,
  s: LbSession,
): Promise<PolicyCheckResult> {
  let problem = await lbProblem(s, data);
  if (!problem && data.pool) {
    const listed = new Set((await s.drivers.loadBalancer.listMembers(data.pool)).map((m) => m.id));
    const outside = (await ctx.members()).filter(
      (m) => m.status === 'ACTIVE' && !listed.has(memberOf(m) ?? ''),
    );
    if (outside.length > 0)
      problem = `${outside.length} ACTIVE node(s) are not in pool ${data.pool}`;
  }
  await setClusterLb(ctx, policy.id, {
    status: problem ? 'ERROR' : 'ACTIVE',
    status_reason: problem ?? 'Load balancer is ACTIVE.',
  });
  if (!problem) return { ok: true };
  return { ok: false, reason: `Load balancer of policy ${policy.name}: ${problem}.` };
}

/**
 * Deletes what is left of a broken load balancer with everything under it (a cascade delete
 * is the one change Octavia accepts of a load balancer in ERROR).
 */
async function dropLb(s: LbSession, id: string): Promise<LbOutcome<null>> {
  const octavia = s.drivers.loadBalancer;
  try {
    await octavia.deleteLoadBalancer(id, { cascade: true });
    await octavia.waitForLoadBalancerDelete(id, { timeout: s.timeout, signal: s.signal });
  } catch (err) {
    if (s.signal.aborted) throw s.signal.reason;
    if (!(err instanceof CloudNotFound)) {
      const reason = err instanceof Error ? err.message : String(err);
      return { ok: false, reason: `Failed in deleting loadbalancer: ${reason}.` };
    }
  }
  return { ok: true, value: null };
}

/**
 * Before a cluster recovery puts nodes back: when the load balancer the policy made is gone
 * or broken, remove what is left of it and make a new one (nodes forget their old members,
 * so the reconciliation that follows adds them all). Returns the binding data to use.
 */
export async function rebuildLbIfBroken(
  policy: PolicyView,
  binding: PolicyBindingView,
  data: LbBindingData,
  ctx: PolicyContext,
  s: LbSession,
): Promise<{ ok: true; data: LbBindingData } | { ok: false; reason: string }> {
  if (data.preexisting === true || !(await lbProblem(s, data))) return { ok: true, data };
  const removed = await dropLb(s, data.loadbalancer);
  if (!removed.ok) return removed;
  const cluster = await ctx.cluster();
  const created = await createLb(s, lbSpec(policy.properties), cluster.name);
  if (!created.ok) {
    await setClusterLb(ctx, policy.id, { status: 'ERROR', status_reason: created.reason });
    return created;
  }
  await forgetMembers(await ctx.members(), ctx);
  const { vip_address: vipAddress, ...kept } = created.value;
  await ctx.saveBindingData(binding.bindingId, wrapPolicyData(envelopeOf(policy.type), kept));
  await setClusterLb(ctx, policy.id, {
    vip_address: vipAddress ?? null,
    status: 'ACTIVE',
    status_reason: 'Load balancer rebuilt.',
  });
  return { ok: true, data: { ...kept } };
}
