/** Listeners, pools, members and health monitors of the fake Octavia. */
import type { Resource } from '../../types.js';
import { badRequest, conflict, isoZ, newUuid, notFound, obj, str } from '../common.js';
import { K } from '../kinds.js';
import { ipToInt } from '../neutron/ipam.js';
import { tagList } from '../simulate.js';
import type { Doc } from '../store.js';
import type { Caller, FakeWorld } from '../world.js';
import {
  endChild,
  lbChildren,
  memberView,
  needLb,
  poolMonitor,
  poolView,
  requireMutable,
  startChild,
} from './lb-common.js';

const PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'UDP', 'TERMINATED_HTTPS', 'SCTP', 'PROXY'];
const ALGORITHMS = ['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP', 'SOURCE_IP_PORT'];
const PERSISTENCE = ['SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE'];
const MONITORS = ['PING', 'TCP', 'HTTP', 'HTTPS', 'TLS-HELLO', 'UDP-CONNECT', 'SCTP'];

function port(value: unknown, field: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw badRequest(
      `Invalid input for field/attribute ${field}. Value: '${String(value)}'. Value should be between 1 and 65535.`,
    );
  return n;
}

function oneOf(value: unknown, allowed: readonly string[], field: string): string {
  if (typeof value !== 'string' || !allowed.includes(value))
    throw badRequest(
      `Invalid input for field/attribute ${field}. Value: '${String(value)}'. Value should be one of: ${allowed.join(', ')}.`,
    );
  return value;
}

function base(world: FakeWorld, caller: Caller, body: Record<string, unknown>): Resource {
  const now = isoZ(world.now());
  return {
    id: newUuid(),
    name: str(body, 'name') ?? '',
    description: str(body, 'description') ?? '',
    admin_state_up: body.admin_state_up !== false,
    provisioning_status: 'PENDING_CREATE',
    operating_status: 'OFFLINE',
    tags: tagList(body.tags),
    project_id: caller.projectId,
    created_at: now,
    updated_at: null,
  };
}

function lbFor(world: FakeWorld, id: string | undefined): Doc {
  if (!id) throw badRequest('Validation failure: loadbalancer_id is required.');
  const lb = world.store.get(K.loadBalancer, id);
  if (!lb) throw badRequest(`Validation failure: Load balancer ${id} not found.`);
  requireMutable(lb);
  return lb;
}

/** Creates a listener on a load balancer. */
export function createListener(
  world: FakeWorld,
  caller: Caller,
  body: Record<string, unknown>,
): Resource {
  return world.store.tx(() => {
    const lb = lbFor(world, str(body, 'loadbalancer_id'));
    const protocolPort = port(body.protocol_port, 'protocol_port');
    if (lbChildren(world, lb.r.id, K.listener).some((l) => l.r.protocol_port === protocolPort))
      throw conflict(
        `Another Listener on this Load Balancer is already using protocol_port ${protocolPort}`,
      );
    const doc: Doc = {
      r: {
        ...base(world, caller, body),
        protocol: oneOf(body.protocol, PROTOCOLS, 'protocol'),
        protocol_port: protocolPort,
        connection_limit: typeof body.connection_limit === 'number' ? body.connection_limit : -1,
        default_pool_id: null,
        loadbalancers: [{ id: lb.r.id }],
        insert_headers: {},
      },
      x: { lb: lb.r.id },
      p: [],
    };
    startChild(world, lb, doc, K.listener);
    return doc.r;
  });
}

/** Creates a pool (the default pool of `listener_id` when given). */
export function createPool(
  world: FakeWorld,
  caller: Caller,
  body: Record<string, unknown>,
): Resource {
  return world.store.tx(() => {
    const listenerId = str(body, 'listener_id');
    const listener = listenerId ? world.store.get(K.listener, listenerId) : null;
    if (listenerId && !listener)
      throw badRequest(`Validation failure: Listener ${listenerId} not found.`);
    if (!listener && !str(body, 'loadbalancer_id'))
      throw badRequest('Validation failure: listener_id or loadbalancer_id must be specified.');
    const lb = lbFor(world, listener ? String(listener.x.lb) : str(body, 'loadbalancer_id'));
    if (listener?.r.default_pool_id)
      throw conflict(`Listener ${listenerId} already has a default pool.`);
    const persistence = obj(body, 'session_persistence');
    if (persistence) oneOf(persistence.type, PERSISTENCE, 'session_persistence.type');
    const doc: Doc = {
      r: {
        ...base(world, caller, body),
        protocol: oneOf(body.protocol, PROTOCOLS, 'protocol'),
        lb_algorithm: oneOf(body.lb_algorithm, ALGORITHMS, 'lb_algorithm'),
        session_persistence: persistence ?? null,
        loadbalancers: [{ id: lb.r.id }],
      },
      x: { lb: lb.r.id },
      p: [],
    };
    if (listener) {
      listener.r.default_pool_id = doc.r.id;
      world.save(K.listener, listener);
    }
    startChild(world, lb, doc, K.pool);
    return poolView(world, doc);
  });
}

/** A pool or CloudNotFound. */
export function needPool(world: FakeWorld, id: string): Doc {
  return world.need(K.pool, id, `Pool ${id} could not be found.`);
}

/** Adds a member to a pool. */
export function createMember(
  world: FakeWorld,
  caller: Caller,
  poolId: string,
  body: Record<string, unknown>,
): Resource {
  return world.store.tx(() => {
    const pool = needPool(world, poolId);
    const lb = lbFor(world, String(pool.x.lb));
    const address = str(body, 'address') ?? '';
    if (Number.isNaN(ipToInt(address)))
      throw badRequest(`Invalid input for field/attribute address. Value: '${address}'.`);
    const protocolPort = port(body.protocol_port, 'protocol_port');
    const subnetId = str(body, 'subnet_id') ?? null;
    if (subnetId && !world.store.get(K.subnet, subnetId))
      throw badRequest(`Validation failure: Subnet ${subnetId} not found.`);
    if (
      world.store
        .byParent(K.member, poolId)
        .some((m) => m.r.address === address && m.r.protocol_port === protocolPort)
    )
      throw conflict(
        `Another member on this pool is already using ip address ${address} on protocol_port ${protocolPort}`,
      );
    const doc: Doc = {
      r: {
        ...base(world, caller, body),
        address,
        protocol_port: protocolPort,
        subnet_id: subnetId,
        weight: typeof body.weight === 'number' ? body.weight : 1,
        backup: body.backup === true,
        monitor_address: null,
        monitor_port: null,
        operating_status: 'NO_MONITOR',
      },
      x: { lb: lb.r.id, pool: poolId },
      p: [],
    };
    startChild(world, lb, doc, K.member);
    return memberView(world, doc);
  });
}

/** Adds a health monitor to a pool. */
export function createHealthMonitor(
  world: FakeWorld,
  caller: Caller,
  body: Record<string, unknown>,
): Resource {
  return world.store.tx(() => {
    const pool = needPool(world, str(body, 'pool_id') ?? '');
    const lb = lbFor(world, String(pool.x.lb));
    if (poolMonitor(world, pool)) throw conflict(`Pool ${pool.r.id} already has a health monitor`);
    const type = oneOf(body.type, MONITORS, 'type');
    const http = type === 'HTTP' || type === 'HTTPS';
    const int = (v: unknown, field: string): number => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0)
        throw badRequest(`Invalid input for field/attribute ${field}. Value: '${String(v)}'.`);
      return n;
    };
    const doc: Doc = {
      r: {
        ...base(world, caller, body),
        type,
        delay: int(body.delay, 'delay'),
        timeout: int(body.timeout, 'timeout'),
        max_retries: int(body.max_retries, 'max_retries'),
        max_retries_down: 3,
        http_method: http ? (str(body, 'http_method') ?? 'GET') : null,
        url_path: http ? (str(body, 'url_path') ?? '/') : null,
        expected_codes: http ? (str(body, 'expected_codes') ?? '200') : null,
        pools: [{ id: pool.r.id }],
        operating_status: 'ONLINE',
      },
      x: { lb: lb.r.id, pool: pool.r.id },
      p: [],
    };
    startChild(world, lb, doc, K.healthMonitor);
    return doc.r;
  });
}

/** Deletes a listener, pool (with its members and monitor), member or health monitor. */
export function deleteChild(world: FakeWorld, kind: string, id: string, label: string): void {
  world.store.tx(() => {
    const doc = world.store.get(kind, id);
    if (!doc) throw notFound(`${label} ${id} could not be found.`);
    const lb = needLb(world, String(doc.x.lb));
    requireMutable(lb);
    const cascade: [string, Doc][] = [];
    if (kind === K.pool) {
      for (const m of world.store.byParent(K.member, id)) cascade.push([K.member, m]);
      const hm = poolMonitor(world, doc);
      if (hm) cascade.push([K.healthMonitor, hm]);
      for (const l of lbChildren(world, lb.r.id, K.listener).filter(
        (l) => l.r.default_pool_id === id,
      )) {
        l.r.default_pool_id = null;
        world.save(K.listener, l);
      }
    }
    endChild(world, lb, doc, kind, cascade);
  });
}
