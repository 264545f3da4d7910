/**
 * Compute hosts of the fake Nova: hypervisors, compute services and availability zones. The
 * compute service of a host is the source of truth for its state (up/down) and status
 * (enabled/disabled); the hypervisor shows the same values.
 */
import type { Resource } from '../../types.js';
import { isoZ, notFound } from '../common.js';
import { K } from '../kinds.js';
import type { Doc } from '../store.js';
import type { FakeWorld } from '../world.js';

/** What the scheduler needs to know about a host. */
export interface HostInfo {
  name: string;
  zones: string[];
  up: boolean;
  enabled: boolean;
  /** Servers placed on the host. */
  load: number;
}

function computeService(world: FakeWorld, host: string): Doc | null {
  return world.store.byParent(K.service, host).find((d) => d.r.binary === 'nova-compute') ?? null;
}

function serviceState(doc: Doc | null): { up: boolean; enabled: boolean } {
  if (!doc) return { up: false, enabled: false };
  return {
    up: doc.r.forced_down !== true && doc.x.down !== true,
    enabled: doc.r.status === 'enabled',
  };
}

/** Every compute host, in name order. */
export function hostInfos(world: FakeWorld): HostInfo[] {
  const services = new Map<string, Doc>();
  for (const d of world.store.list(K.service))
    if (d.r.binary === 'nova-compute') services.set(String(d.r.host), d);
  const loads = world.store.valuesWithPrefix('load:');
  const hypervisors = world.cached('hypervisors', () =>
    world.store
      .list(K.hypervisor)
      .map((h) => ({
        name: String(h.r.hypervisor_hostname),
        zones: (h.x.zones as string[]) ?? ['nova'],
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
  return hypervisors.map(({ name, zones }) => ({
    name,
    zones,
    ...serviceState(services.get(name) ?? null),
    load: Number(loads.get(name) ?? 0),
  }));
}

/** Adds `delta` to the number of servers on a host. */
export function addLoad(world: FakeWorld, host: string | null, delta: number): void {
  if (host) world.store.addToCounter(`load:${host}`, delta);
}

/** `UP`, `DOWN`, `MAINTENANCE` or `UNKNOWN` (Nova's `host_status`), '' without host. */
export function hostStatus(world: FakeWorld, host: unknown): string {
  if (typeof host !== 'string' || !host) return '';
  const service = computeService(world, host);
  if (!service) return 'UNKNOWN';
  const { up, enabled } = serviceState(service);
  if (!up) return 'DOWN';
  return enabled ? 'UP' : 'MAINTENANCE';
}

/** Availability zones with their availability (some enabled host is up). */
export function zoneList(
  world: FakeWorld,
  zones: readonly string[],
): { zoneName: string; available: boolean }[] {
  const hosts = hostInfos(world);
  return zones.map((zone) => ({
    zoneName: zone,
    available: hosts.some((h) => h.zones.includes(zone) && h.up && h.enabled),
  }));
}

/** A hypervisor as Nova shows it (state and status from its compute service). */
export function hypervisorView(world: FakeWorld, doc: Doc): Resource {
  const name = String(doc.r.hypervisor_hostname);
  const service = computeService(world, name);
  const { up, enabled } = serviceState(service);
  const load = Number(world.store.getValue(`load:${name}`) ?? 0);
  return {
    ...doc.r,
    state: up ? 'up' : 'down',
    status: enabled ? 'enabled' : 'disabled',
    running_vms: load,
    vcpus_used: load,
    memory_mb_used: 512 + load * 512,
    local_gb_used: load,
    service: {
      host: name,
      id: service?.r.id ?? null,
      disabled_reason: service?.r.disabled_reason ?? null,
    },
  };
}

/** A compute service as Nova shows it. */
export function serviceView(doc: Doc): Resource {
  const { up } = serviceState(doc);
  return { ...doc.r, state: up ? 'up' : 'down' };
}

/** Sets a host's state and status (what breaks or repairs it behind senlin's back). */
export function setHostState(
  world: FakeWorld,
  host: string,
  state: 'up' | 'down',
  status?: 'enabled' | 'disabled',
): void {
  world.store.tx(() => {
    const service = computeService(world, host);
    if (!service) throw notFound(`Compute host ${host} could not be found.`);
    service.x.down = state === 'down';
    if (state === 'up') service.r.forced_down = false;
    if (status) {
      service.r.status = status;
      service.r.disabled_reason = status === 'disabled' ? 'disabled by test' : null;
    }
    service.r.updated_at = isoZ(world.now());
    world.save(K.service, service);
    const hypervisor = world.store.byName(K.hypervisor, host)[0];
    if (hypervisor) world.touch(K.hypervisor, hypervisor.r.id);
  });
}

/** Marks a service forced down (Nova's `PUT /os-services/{id}` with `forced_down`). */
export function forceServiceDown(
  world: FakeWorld,
  serviceId: string,
  host: string,
  binary: string,
): void {
  world.store.tx(() => {
    const byId = world.store.get(K.service, serviceId);
    const doc =
      byId ?? world.store.byParent(K.service, host).find((d) => d.r.binary === binary) ?? null;
    if (!doc) throw notFound(`Service ${serviceId} could not be found.`);
    doc.r.forced_down = true;
    doc.r.updated_at = isoZ(world.now());
    world.save(K.service, doc);
  });
}
