/**
 * Host selection of the fake Nova: hosts of the requested zone that are up and enabled,
 * filtered and weighed by the server group policy, then the least loaded one.
 */
import { K } from '../kinds.js';
import type { Doc } from '../store.js';
import type { FakeWorld } from '../world.js';
import { addLoad, type HostInfo, hostInfos } from './hosts.js';

/** Where a server should go. */
export interface PlacementRequest {
  /** Availability zone (null: any). */
  zone: string | null;
  /** A host forced by `zone:host` (null: any). */
  host: string | null;
  /** The server group the server belongs to. */
  group: Doc | null;
  /** Hosts that must not be chosen (the current host of a migration). */
  exclude?: readonly string[];
  /** The server being moved (not counted as a member on its own host). */
  serverId?: string;
}

/** Hosts of the members of a group, with member counts. */
export function groupHosts(group: Doc | null): Record<string, number> {
  return (group?.x.hosts as Record<string, number> | undefined) ?? {};
}

function policyOf(group: Doc): string {
  return String(group.r.policy ?? (group.r.policies as string[] | undefined)?.[0] ?? '');
}

/** The chosen host, or null when no host fits ("No valid host was found"). */
export function pickHost(world: FakeWorld, req: PlacementRequest): string | null {
  let hosts: HostInfo[] = hostInfos(world).filter(
    (h) =>
      h.up &&
      h.enabled &&
      (req.zone === null || h.zones.includes(req.zone)) &&
      (req.host === null || h.name === req.host) &&
      !(req.exclude ?? []).includes(h.name),
  );
  const members = groupHosts(req.group);
  const count = (host: string): number => members[host] ?? 0;
  const policy = req.group ? policyOf(req.group) : '';
  if (policy === 'affinity') {
    const used = Object.keys(members).filter((h) => count(h) > 0);
    if (used.length > 0) hosts = hosts.filter((h) => used.includes(h.name));
  } else if (policy === 'anti-affinity') {
    hosts = hosts.filter((h) => count(h.name) === 0);
  }
  const weight = (h: HostInfo): number =>
    policy === 'soft-affinity'
      ? -count(h.name)
      : policy === 'soft-anti-affinity'
        ? count(h.name)
        : 0;
  hosts.sort((a, b) => weight(a) - weight(b) || a.load - b.load || a.name.localeCompare(b.name));
  return hosts[0]?.name ?? null;
}

/** Records a server's arrival on (or departure from, with -1) a host. */
export function placeOnHost(
  world: FakeWorld,
  host: string | null,
  groupId: string | null,
  delta: 1 | -1,
): void {
  if (!host) return;
  addLoad(world, host, delta);
  if (!groupId) return;
  const group = world.store.get(K.serverGroup, groupId);
  if (!group) return;
  const hosts = groupHosts(group);
  hosts[host] = Math.max(0, (hosts[host] ?? 0) + delta);
  group.x.hosts = hosts;
  world.save(K.serverGroup, group);
}
