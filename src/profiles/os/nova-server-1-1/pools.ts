/**
 * Taking resources from the pools of an `os.nova.server-1.1` spec and giving them back: each
 * node gets one distinct available volume per pooled block device and one distinct port or
 * fixed IP per pooled network, through the claims the engine keeps in its database.
 */
import { isPlainObject, isTruthy } from '../../../common/spec-schema/index.js';
import type {
  ClaimKind,
  NodeView,
  ProfileCallContext,
  ResourceClaim,
  ResourceClaims,
} from '../../../engine/contracts.js';
import { isNotFound, textOf } from '../../behaviour-support.js';
import { deviceLabel, type Entry, expandFixedIps, poolKey, poolOf } from './devices.js';

/** A resource taken for a node by one call. */
export interface Taken {
  readonly kind: ClaimKind;
  readonly resourceId: string;
  /** True when this call made the claim (false: a sticky claim the node already held). */
  readonly fresh: boolean;
}

/** What taking from pools works with. */
export interface PoolCall {
  readonly node: NodeView;
  readonly ctx: ProfileCallContext;
  /** The claims the node held before the call. */
  readonly held: readonly ResourceClaim[];
  /** What this call took so far (to give back on failure). */
  readonly taken: Taken[];
}

/** The claims service, or an error saying pools need it. */
function claimsOf(ctx: ProfileCallContext): ResourceClaims {
  if (ctx.claims === undefined) throw new Error('resource pools are not available here');
  return ctx.claims;
}

/** Starts a pool call for a node. */
export async function startPoolCall(node: NodeView, ctx: ProfileCallContext): Promise<PoolCall> {
  const held = ctx.claims === undefined ? [] : await ctx.claims.held(node.id);
  return { node, ctx, held, taken: [] };
}

const byName = (a: { name?: unknown; id: string }, b: { name?: unknown; id: string }) =>
  String(a.name ?? '').localeCompare(String(b.name ?? '')) || a.id.localeCompare(b.id);

async function volumeCandidates(ctx: ProfileCallContext, pool: Entry): Promise<string[]> {
  const storage = ctx.drivers.blockStorage;
  if (Array.isArray(pool.volumes) && pool.volumes.length > 0) {
    const out: string[] = [];
    for (const id of pool.volumes.map(String)) {
      try {
        if ((await storage.getVolume(id)).status === 'available') out.push(id);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return out;
  }
  const metadata: Record<string, string> = {};
  if (isPlainObject(pool.metadata)) {
    for (const [k, v] of Object.entries(pool.metadata)) metadata[k] = String(v);
  }
  const prefix = textOf(pool.name_prefix) ?? '';
  const volumes = await storage.listVolumes({ status: 'available', metadata });
  return volumes
    .filter((v) => String(v.name ?? '').startsWith(prefix))
    .sort(byName)
    .map((v) => v.id);
}

function heldIn(call: PoolCall, kind: ClaimKind, pool: string): string | null {
  return call.held.find((c) => c.kind === kind && c.pool === pool)?.resourceId ?? null;
}

async function take(
  call: PoolCall,
  kind: ClaimKind,
  pool: Entry,
  candidates: () => Promise<string[]>,
  empty: string,
): Promise<string> {
  const key = poolKey(kind, pool);
  const kept = heldIn(call, kind, key);
  if (kept !== null) {
    call.taken.push({ kind, resourceId: kept, fresh: false });
    return kept;
  }
  const id = await claimsOf(call.ctx).claim({
    kind,
    pool: key,
    candidates: await candidates(),
    nodeId: call.node.id,
    sticky: pool.sticky === true,
  });
  if (id === null) throw new Error(empty);
  call.taken.push({ kind, resourceId: id, fresh: true });
  return id;
}

/** Waits for a volume to be `available` (a sticky volume may still be detaching). */
async function availableVolume(ctx: ProfileCallContext, id: string): Promise<void> {
  await ctx.drivers.blockStorage.waitForVolume(id, 'available', {
    timeout: ctx.settings.novaTimeout,
    signal: ctx.signal,
  });
}

/** Takes a volume for a pooled block device; returns the entry as Nova takes it. */
export async function takeVolume(
  call: PoolCall,
  entry: Entry,
  index: number,
): Promise<Record<string, unknown>> {
  const pool = poolOf(entry) ?? {};
  const id = await take(
    call,
    'volume',
    pool,
    () => volumeCandidates(call.ctx, pool),
    `the volume pool of block device '${deviceLabel(entry, index)}' has no available volume left`,
  );
  await availableVolume(call.ctx, id);
  const { pool: _pool, volume_size: _size, ...rest } = entry;
  return {
    ...rest,
    uuid: id,
    source_type: 'volume',
    destination_type: 'volume',
    delete_on_termination: false,
  };
}

async function portCandidates(ctx: ProfileCallContext, pool: Entry): Promise<string[]> {
  const network = ctx.drivers.network;
  const unbound = (p: Record<string, unknown>) =>
    !isTruthy(p.device_id) && !isTruthy(p.device_owner);
  if (Array.isArray(pool.ports) && pool.ports.length > 0) {
    const out: string[] = [];
    for (const id of pool.ports.map(String)) {
      try {
        if (unbound(await network.getPort(id))) out.push(id);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return out;
  }
  const prefix = textOf(pool.port_name_prefix) ?? '';
  const ports = await network.listPorts();
  return ports
    .filter((p) => unbound(p) && String(p.name ?? '').startsWith(prefix))
    .sort(byName)
    .map((p) => p.id);
}

async function ipCandidates(
  ctx: ProfileCallContext,
  networkId: string,
  pool: Entry,
): Promise<string[]> {
  const used = new Set<string>();
  for (const port of await ctx.drivers.network.listPorts({ network_id: networkId })) {
    const ips = Array.isArray(port.fixed_ips) ? port.fixed_ips : [];
    for (const ip of ips) if (isPlainObject(ip)) used.add(String(ip.ip_address));
  }
  return expandFixedIps(Array.isArray(pool.fixed_ips) ? pool.fixed_ips : [])
    .filter((ip) => !used.has(ip))
    .map((ip) => `${networkId}/${ip}`);
}

/**
 * Takes a port or a fixed IP for a pooled network entry; returns the entry as 1.0 takes it
 * (`port`, or `network` with `fixed_ip`).
 */
export async function takeNetwork(call: PoolCall, entry: Entry): Promise<Record<string, unknown>> {
  const pool = poolOf(entry) ?? {};
  const { pool: _pool, ...rest } = entry;
  if (Array.isArray(pool.fixed_ips) && pool.fixed_ips.length > 0) {
    const name = textOf(entry.network) ?? '';
    const net = await call.ctx.drivers.network.findNetwork(name);
    if (net === null) throw new Error(`The specified network '${name}' could not be found`);
    const claimed = await take(
      call,
      'fixed_ip',
      pool,
      () => ipCandidates(call.ctx, net.id, pool),
      `the fixed IP pool of network '${name}' has no free address left`,
    );
    return { ...rest, network: net.id, fixed_ip: claimed.slice(claimed.indexOf('/') + 1) };
  }
  const port = await take(
    call,
    'port',
    pool,
    () => portCandidates(call.ctx, pool),
    'the port pool has no unbound port left',
  );
  const { network: _network, security_groups: _groups, ...portEntry } = rest;
  return { ...portEntry, port };
}

/** Gives back what a failed call took fresh (errors ignored: stale claims end with the node). */
export async function giveBack(call: PoolCall): Promise<void> {
  const claims = call.ctx.claims;
  if (claims === undefined) return;
  for (const t of call.taken) {
    if (t.fresh) await claims.release(t.kind, t.resourceId, call.node.id).catch(() => undefined);
  }
}

/**
 * Returns the node's pooled resources after its server is gone: volumes once detached, ports
 * and fixed IPs at once. Sticky claims are kept (`keepSticky`) for the node's next server.
 */
export async function returnToPools(
  node: NodeView,
  ctx: ProfileCallContext,
  keepSticky: boolean,
): Promise<void> {
  const claims = ctx.claims;
  if (claims === undefined) return;
  for (const claim of await claims.held(node.id)) {
    if (keepSticky && claim.sticky) continue;
    if (claim.kind === 'volume') {
      // A deleted server's volumes are detached by Nova; wait so that the next node finds
      // the volume available.
      await availableVolume(ctx, claim.resourceId).catch(() => undefined);
    }
    await claims.release(claim.kind, claim.resourceId, node.id);
  }
}
