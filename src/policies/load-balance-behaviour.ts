/**
 * What the load-balancing policy (`senlin.policy.loadbalance`, engine contract §5.9) does:
 * at attach it makes (or adopts) a load balancer and puts every ACTIVE node into its pool, at
 * detach it removes what it made; around actions it keeps the pool equal to the nodes
 * (see load-balance-behaviour-ops.ts).
 */
import { InvalidSpec } from '../common/errors.js';
import { isPlainObject, isTruthy } from '../common/spec-schema/index.js';
import type { CloudDrivers, Resource } from '../drivers/types.js';
import type {
  PolicyAttachResult,
  PolicyBehaviour,
  PolicyBindingView,
  PolicyCheckResult,
  PolicyContext,
  PolicyView,
} from '../engine/contracts.js';
import type { LbSession } from './lb-driver.js';
import { createLb, deleteLb } from './lb-driver.js';
import type { LbBindingData } from './load-balance-behaviour-members.js';
import {
  addNodes,
  forgetMembers,
  lbSession,
  memberOf,
  removeNodes,
} from './load-balance-behaviour-members.js';
import { lbNeedCheck, lbPostOp, lbPreOp } from './load-balance-behaviour-ops.js';
import { lbSpec, setClusterLb } from './load-balance-behaviour-watch.js';
import { envelopeOf, readBindingData, wrapPolicyData } from './policy-data.js';

type Props = Readonly<Record<string, unknown>>;

function map(value: unknown): Props {
  return isPlainObject(value) ? value : {};
}

function notFound(key: string, value: unknown): InvalidSpec {
  return new InvalidSpec(`The specified ${key} '${String(value)}' could not be found.`);
}

async function exists(find: () => Promise<Resource | null>): Promise<boolean> {
  try {
    return (await find()) !== null;
  } catch {
    return false;
  }
}

/**
 * Checks the spec against the cloud: the pool subnet, the flavor, the VIP subnet and network,
 * an existing load balancer and the Octavia availability zone must exist.
 */
export async function validateLoadBalanceWithCloud(
  properties: Props,
  drivers: CloudDrivers,
): Promise<void> {
  const pool = map(properties.pool);
  const vip = map(properties.vip);
  if (!(await exists(() => drivers.network.findSubnet(String(pool.subnet ?? ''))))) {
    throw notFound('subnet', pool.subnet);
  }
  if (isTruthy(properties.flavor_id)) {
    const flavor = String(properties.flavor_id);
    if (!(await exists(() => drivers.loadBalancer.findFlavor(flavor))))
      throw notFound('flavor_id', flavor);
  }
  if (!isTruthy(vip.subnet) && !isTruthy(vip.network)) {
    throw new InvalidSpec('At least one of VIP Subnet or Network must be defined.');
  }
  if (isTruthy(vip.subnet) && !(await exists(() => drivers.network.findSubnet(String(vip.subnet)))))
    throw notFound('subnet', vip.subnet);
  if (
    isTruthy(vip.network) &&
    !(await exists(() => drivers.network.findNetwork(String(vip.network))))
  )
    throw notFound('network', vip.network);
  if (isTruthy(properties.loadbalancer)) {
    const lb = String(properties.loadbalancer);
    if (!(await exists(() => drivers.loadBalancer.findLoadBalancer(lb))))
      throw notFound('loadbalancer', lb);
  }
  if (isTruthy(properties.availability_zone)) {
    const zone = String(properties.availability_zone);
    if (!(await exists(() => drivers.loadBalancer.findAvailabilityZone(zone))))
      throw notFound('availability_zone', zone);
  }
}

/** The data of an existing load balancer named by the spec (`loadbalancer`, `pool.id`). */
async function adoptLb(
  props: Props,
  s: LbSession,
): Promise<{ ok: true; data: LbBindingData } | { ok: false; reason: string }> {
  const name = String(props.loadbalancer);
  let lb: Resource | null;
  try {
    lb = await s.drivers.loadBalancer.findLoadBalancer(name);
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  if (!lb) return { ok: false, reason: `The specified loadbalancer '${name}' could not be found.` };
  const pool = map(props.pool);
  const pools = Array.isArray(lb.pools) ? lb.pools : [];
  const only = pools.length === 1 && isPlainObject(pools[0]) ? String(pools[0].id) : null;
  const poolId = isTruthy(pool.id) ? String(pool.id) : only;
  if (!poolId) {
    return { ok: false, reason: `The pool of the load balancer '${name}' must be specified.` };
  }
  const vip = map(props.vip);
  const hm = map(props.health_monitor);
  return {
    ok: true,
    data: {
      preexisting: true,
      loadbalancer: lb.id,
      pool: poolId,
      vip_address: (isTruthy(vip.address) ? vip.address : (lb.vip_address ?? null)) as
        | string
        | null,
      ...(isTruthy(hm.id) ? { healthmonitor: String(hm.id) } : {}),
    },
  };
}

/** Attach: make or adopt the load balancer and put every ACTIVE node into the pool. */
async function attach(
  policy: PolicyView,
  _enabled: boolean,
  ctx: PolicyContext,
): Promise<PolicyAttachResult> {
  const props = policy.properties;
  const s = await lbSession(policy, ctx);
  const cluster = await ctx.cluster();
  let data: LbBindingData;
  if (isTruthy(props.loadbalancer)) {
    const adopted = await adoptLb(props, s);
    if (!adopted.ok) return adopted;
    data = adopted.data;
  } else {
    const created = await createLb(s, lbSpec(props), cluster.name);
    if (!created.ok) return created;
    data = created.value;
  }
  const members = await ctx.members();
  const active = members.filter((m) => m.status === 'ACTIVE' && m.physicalId);
  const failed = await addNodes(
    policy,
    data,
    active.map((m) => m.id),
    ctx,
    s,
    { markFailures: false, members },
  );
  if (failed.length > 0) {
    const now = await ctx.members();
    if (data.preexisting) {
      const added = now.filter((m) => memberOf(m)).map((m) => m.id);
      await removeNodes(data, added, ctx, s, { markFailures: false, members: now });
    } else {
      await deleteLb(s, data);
      await forgetMembers(now, ctx);
    }
    return { ok: false, reason: 'Failed in adding node into lb pool' };
  }
  const { vip_address: vipAddress, ...kept } = data;
  await setClusterLb(ctx, policy.id, { vip_address: vipAddress ?? null });
  return { ok: true, data: wrapPolicyData(envelopeOf(policy.type), kept) };
}

/** Detach: delete what attach made, or take the nodes out of an existing pool. */
async function detach(
  policy: PolicyView,
  binding: PolicyBindingView,
  ctx: PolicyContext,
): Promise<PolicyCheckResult> {
  const data = readBindingData(binding) as LbBindingData | null;
  if (data && isTruthy(data.loadbalancer)) {
    const s = await lbSession(policy, ctx);
    const members = await ctx.members();
    if (data.preexisting !== true) {
      const deleted = await deleteLb(s, data);
      if (!deleted.ok) return deleted;
      await forgetMembers(members, ctx);
    } else {
      const failed = await removeNodes(
        data,
        members.map((m) => m.id),
        ctx,
        s,
        { members },
      );
      if (failed.length > 0)
        return { ok: false, reason: 'Failed to remove servers from existed LB.' };
    }
  }
  await setClusterLb(ctx, policy.id, null);
  return { ok: true, reason: 'LB resources deletion succeeded.' };
}

/** The behaviour of `senlin.policy.loadbalance` (all versions). */
export const loadBalanceBehaviour: PolicyBehaviour = {
  attach,
  detach,
  needCheck: lbNeedCheck,
  preOp: lbPreOp,
  postOp: lbPostOp,
  validateWithCloud: validateLoadBalanceWithCloud,
};
