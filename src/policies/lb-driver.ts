/**
 * The Octavia steps of the load-balancing policy (engine contract §7.2): making and removing a
 * load balancer with its listener, pool and health monitor, and adding or removing pool
 * members, waiting for the load balancer to settle after every change.
 */
import { isPlainObject, isTruthy } from '../common/spec-schema/index.js';
import type { CloudDrivers, Resource } from '../drivers/types.js';
import { CloudNotFound } from '../drivers/types.js';

/** Where and how long the Octavia steps may run. */
export interface LbSession {
  readonly drivers: CloudDrivers;
  /** Seconds to wait for the load balancer to become ACTIVE after a change. */
  readonly timeout: number;
  readonly signal: AbortSignal;
}

/** The Octavia objects a policy binding owns (ids). */
export type LbResources = {
  loadbalancer: string;
  vip_address?: string | null;
  listener?: string;
  pool?: string;
  healthmonitor?: string;
};

/** The spec maps the load balancer is made from (resolved properties of the policy). */
export interface LbSpec {
  readonly vip: Readonly<Record<string, unknown>>;
  readonly pool: Readonly<Record<string, unknown>>;
  readonly healthMonitor: Readonly<Record<string, unknown>> | null;
  readonly availabilityZone: string | null;
  readonly flavorId: string | null;
}

/** Outcome of a step that can fail with a reason. */
export type LbOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function stopIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
}

/**
 * Waits until the load balancer is ACTIVE (true); a missing load balancer counts as ready
 * with `ignoreNotFound`. False on timeout, on ERROR and on any cloud failure.
 */
export async function waitLbReady(
  s: LbSession,
  lbId: string,
  ignoreNotFound = false,
): Promise<boolean> {
  try {
    await s.drivers.loadBalancer.waitForLoadBalancer(lbId, 'ACTIVE', {
      timeout: s.timeout,
      failures: ['ERROR'],
      interval: 10,
      signal: s.signal,
    });
    return true;
  } catch (err) {
    stopIfAborted(s.signal);
    return ignoreNotFound && err instanceof CloudNotFound;
  }
}

/** The session persistence Octavia is given: none for NONE/absent, cookie only for APP_COOKIE. */
export function sessionPersistence(value: unknown): { type: string; cookie_name?: string } | null {
  if (!isPlainObject(value) || !isTruthy(value.type) || value.type === 'NONE') return null;
  const type = String(value.type);
  if (type === 'APP_COOKIE' && isTruthy(value.cookie_name)) {
    return { type, cookie_name: String(value.cookie_name) };
  }
  return { type };
}

/** The health monitor request body (HTTP details only for HTTP(S) probes). */
export function healthMonitorBody(
  hm: Readonly<Record<string, unknown>>,
  poolId: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: hm.type,
    delay: hm.delay,
    timeout: hm.timeout,
    max_retries: hm.max_retries,
    pool_id: poolId,
    admin_state_up: hm.admin_state_up !== false,
  };
  if (hm.type === 'HTTP' || hm.type === 'HTTPS') {
    for (const key of ['http_method', 'url_path', 'expected_codes']) {
      if (isTruthy(hm[key])) body[key] = hm[key];
    }
  }
  return body;
}

async function resolveVip(
  s: LbSession,
  vip: Readonly<Record<string, unknown>>,
): Promise<LbOutcome<{ subnetId: string | null; networkId: string | null }>> {
  try {
    let subnetId: string | null = null;
    let networkId: string | null = null;
    if (isTruthy(vip.subnet)) {
      const subnet = await s.drivers.network.findSubnet(String(vip.subnet));
      if (!subnet) throw new Error(`Subnet ${String(vip.subnet)} could not be found`);
      subnetId = subnet.id;
    }
    if (isTruthy(vip.network)) {
      const network = await s.drivers.network.findNetwork(String(vip.network));
      if (!network) throw new Error(`Network ${String(vip.network)} could not be found`);
      networkId = network.id;
    }
    return { ok: true, value: { subnetId, networkId } };
  } catch (err) {
    stopIfAborted(s.signal);
    return { ok: false, reason: `Failed in getting subnet: ${messageOf(err)}.` };
  }
}

/**
 * Creates `senlin-lb-<cluster>` with its listener, pool and (when configured) health monitor,
 * each awaited. On any failure what was made so far is deleted again and the reason returned.
 */
export async function createLb(
  s: LbSession,
  spec: LbSpec,
  clusterName: string,
): Promise<LbOutcome<LbResources>> {
  const vipIds = await resolveVip(s, spec.vip);
  if (!vipIds.ok) return vipIds;
  const octavia = s.drivers.loadBalancer;
  const made: Partial<LbResources> = {};
  const fail = async (reason: string): Promise<LbOutcome<LbResources>> => {
    if (made.loadbalancer) await deleteLb(s, made as LbResources);
    return { ok: false, reason };
  };
  const step = async (
    what: string,
    label: string,
    create: () => Promise<Resource>,
  ): Promise<Resource | string> => {
    let created: Resource;
    try {
      created = await create();
    } catch (err) {
      stopIfAborted(s.signal);
      return `Failed in creating ${what}: ${messageOf(err)}.`;
    }
    return created.id ? created : `Failed in creating ${label}.`;
  };

  const vip = spec.vip;
  const lb = await step('loadbalancer', 'loadbalancer', () =>
    octavia.createLoadBalancer({
      name: `senlin-lb-${clusterName}`,
      admin_state_up: vip.admin_state_up !== false,
      ...(vipIds.value.subnetId ? { vip_subnet_id: vipIds.value.subnetId } : {}),
      ...(vipIds.value.networkId ? { vip_network_id: vipIds.value.networkId } : {}),
      ...(isTruthy(vip.address) ? { vip_address: vip.address } : {}),
      ...(spec.availabilityZone ? { availability_zone: spec.availabilityZone } : {}),
      ...(spec.flavorId ? { flavor_id: spec.flavorId } : {}),
    }),
  );
  if (typeof lb === 'string') return fail(lb);
  made.loadbalancer = lb.id;
  if (!(await waitLbReady(s, lb.id))) return fail(`Failed in creating loadbalancer (${lb.id}).`);
  const ready = await octavia.getLoadBalancer(lb.id).catch(() => lb);
  const vipAddress = (ready.vip_address ?? lb.vip_address ?? null) as string | null;

  const listener = await step('lb listener', 'listener', () =>
    octavia.createListener({
      name: `senlin-listener-${clusterName}`,
      loadbalancer_id: lb.id,
      protocol: vip.protocol,
      protocol_port: vip.protocol_port,
      admin_state_up: vip.admin_state_up !== false,
      ...(typeof vip.connection_limit === 'number'
        ? { connection_limit: vip.connection_limit }
        : {}),
    }),
  );
  if (typeof listener === 'string') return fail(listener);
  made.listener = listener.id;
  if (!(await waitLbReady(s, lb.id))) return fail(`Failed in creating listener (${listener.id}).`);

  const pool = spec.pool;
  const createdPool = await step('lb pool', 'pool', () =>
    octavia.createPool({
      name: `senlin-pool-${clusterName}`,
      listener_id: listener.id,
      lb_algorithm: pool.lb_method,
      protocol: pool.protocol,
      session_persistence: sessionPersistence(pool.session_persistence),
      admin_state_up: pool.admin_state_up !== false,
    }),
  );
  if (typeof createdPool === 'string') return fail(createdPool);
  made.pool = createdPool.id;
  if (!(await waitLbReady(s, lb.id))) return fail(`Failed in creating pool (${createdPool.id}).`);

  if (spec.healthMonitor) {
    const hm = spec.healthMonitor;
    const monitor = await step('lb health monitor', 'health monitor', () =>
      octavia.createHealthMonitor(healthMonitorBody(hm, createdPool.id)),
    );
    if (typeof monitor === 'string') return fail(monitor);
    made.healthmonitor = monitor.id;
    if (!(await waitLbReady(s, lb.id)))
      return fail(`Failed in creating health monitor (${monitor.id}).`);
  }
  return { ok: true, value: { ...(made as LbResources), vip_address: vipAddress } };
}

/**
 * Deletes the health monitor, pool, listener and then the load balancer, waiting after each;
 * a load balancer that is already gone is a success.
 */
export async function deleteLb(s: LbSession, res: LbResources): Promise<LbOutcome<null>> {
  const octavia = s.drivers.loadBalancer;
  const lbId = res.loadbalancer;
  let exists: Resource | null;
  try {
    exists = await octavia.findLoadBalancer(lbId);
  } catch (err) {
    stopIfAborted(s.signal);
    return { ok: false, reason: `Failed in getting loadbalancer: ${messageOf(err)}.` };
  }
  if (!exists) return { ok: true, value: null };
  const steps: [string | undefined, string, string, (id: string) => Promise<void>][] = [
    [res.healthmonitor, 'healthmonitor', 'healthmonitor', (id) => octavia.deleteHealthMonitor(id)],
    [res.pool, 'lb pool', 'pool', (id) => octavia.deletePool(id)],
    [res.listener, 'listener', 'listener', (id) => octavia.deleteListener(id)],
  ];
  for (const [id, what, label, remove] of steps) {
    if (!id) continue;
    try {
      await remove(id);
    } catch (err) {
      stopIfAborted(s.signal);
      if (!(err instanceof CloudNotFound))
        return { ok: false, reason: `Failed in deleting ${what}: ${messageOf(err)}.` };
    }
    if (!(await waitLbReady(s, lbId)))
      return { ok: false, reason: `Failed in deleting ${label} (${id}).` };
  }
  try {
    await octavia.deleteLoadBalancer(lbId);
    await octavia.waitForLoadBalancerDelete(lbId, {
      timeout: s.timeout,
      interval: 10,
      signal: s.signal,
    });
  } catch (err) {
    stopIfAborted(s.signal);
    if (!(err instanceof CloudNotFound))
      return { ok: false, reason: `Failed in deleting loadbalancer (${lbId}).` };
  }
  return { ok: true, value: null };
}

/** What a member is made from: the server's name and addresses (node details). */
export interface MemberSource {
  readonly name: string;
  /** `addresses` of the server: network name → `[{version, addr}]`. */
  readonly addresses: Readonly<Record<string, unknown>>;
}

/**
 * The address of a server on the network of `subnet`: the first one of the subnet's IP
 * version, or null.
 */
export function memberAddress(
  addresses: Readonly<Record<string, unknown>>,
  networkName: string,
  ipVersion: number,
): string | null {
  const list = addresses[networkName];
  if (!Array.isArray(list)) return null;
  for (const entry of list) {
    if (isPlainObject(entry) && Number(entry.version) === ipVersion && isTruthy(entry.addr)) {
      return String(entry.addr);
    }
  }
  return null;
}

/** The pool subnet with its network name (null when either cannot be found). */
export async function poolSubnet(
  s: LbSession,
  subnet: string,
): Promise<{ id: string; ipVersion: number; networkName: string } | null> {
  try {
    const found = await s.drivers.network.findSubnet(subnet);
    if (!found) return null;
    const network = await s.drivers.network.findNetwork(String(found.network_id));
    if (!network) return null;
    return {
      id: found.id,
      ipVersion: Number(found.ip_version ?? 4),
      networkName: String(network.name ?? network.id),
    };
  } catch {
    stopIfAborted(s.signal);
    return null;
  }
}

/**
 * Adds a server to the pool on `port` with its address on the pool subnet's network; the
 * member id, or null on any failure (no address there, load balancer not ready, refused).
 */
export async function addMember(
  s: LbSession,
  source: MemberSource,
  lbId: string,
  poolId: string,
  port: number,
  subnet: string,
): Promise<string | null> {
  const target = await poolSubnet(s, subnet);
  if (!target) return null;
  const address = memberAddress(source.addresses, target.networkName, target.ipVersion);
  if (!address) return null;
  if (!(await waitLbReady(s, lbId))) return null;
  let member: Resource;
  try {
    member = await s.drivers.loadBalancer.createMember(poolId, {
      name: source.name,
      address,
      protocol_port: port,
      subnet_id: target.id,
      admin_state_up: true,
    });
  } catch {
    stopIfAborted(s.signal);
    return null;
  }
  if (!(await waitLbReady(s, lbId))) return null;
  return member.id;
}

/**
 * Removes a member from the pool; true when it is gone (also when it was gone already),
 * false on failure.
 */
export async function removeMember(
  s: LbSession,
  lbId: string,
  poolId: string,
  memberId: string,
): Promise<boolean> {
  await waitLbReady(s, lbId, true);
  try {
    await s.drivers.loadBalancer.deleteMember(poolId, memberId);
  } catch (err) {
    stopIfAborted(s.signal);
    if (!(err instanceof CloudNotFound)) return false;
  }
  return waitLbReady(s, lbId, true);
}
