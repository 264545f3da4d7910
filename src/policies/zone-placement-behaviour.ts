/**
 * What the zone placement policy does (engine contract §5.6): spreads the Nova servers a
 * cluster gains or loses over availability zones by weight. New nodes get their zone in
 * `data.placement.zone`, which the server profile passes to Nova.
 */
import { InvalidSpec } from '../common/errors.js';
import { pyRepr } from '../common/py-repr.js';
import { isPlainObject, isTruthy } from '../common/spec-schema/index.js';
import type { CloudDrivers } from '../drivers/types.js';
import type { PolicyBehaviour } from '../engine/contracts.js';
import { type PlacementKind, placementBehaviour, readTargets } from './placement-behaviour.js';

/** The names among `names` that are availability zones Nova offers now. */
export async function usableZones(
  names: readonly string[],
  drivers: CloudDrivers,
): Promise<string[]> {
  const zones = await drivers.compute.availabilityZones();
  const available = new Set(zones.filter((z) => z.available).map((z) => z.zoneName));
  return names.filter((n) => available.has(n));
}

const zoneKind: PlacementKind = {
  key: 'zones',
  nodeKey: 'zone',
  noneUsable: 'No availability zone found available.',
  usable: usableZones,
  fixedByProfile: (profile) => isTruthy(profile.properties.availability_zone),
  // The planned zone wins over the fixed zone of an affinity policy, not over a host it
  // forces (`zone:host`, vSphere DRS).
  replaces: (key, earlier) => key === 'zone' && !String(earlier).includes(':'),
  async groupOf(member, ctx) {
    const placement = member.data.placement;
    const zone = isPlainObject(placement) ? placement.zone : null;
    if (typeof zone === 'string' && zone !== '') return zone;
    // A node placed before its zone was recorded: ask the server where it is.
    if (!member.physicalId) return null;
    try {
      const found = (await ctx.nodeDetails(member.id))['OS-EXT-AZ:availability_zone'];
      return typeof found === 'string' && found !== '' ? found : null;
    } catch {
      return null;
    }
  },
};

/** The behaviour of `senlin.policy.zone_placement`. */
export const zonePlacementBehaviour: PolicyBehaviour = {
  ...placementBehaviour(zoneKind),
  async validateWithCloud(properties, drivers): Promise<void> {
    const names = readTargets(properties.zones)
      .map((t) => t.name)
      .sort();
    const good = new Set(await usableZones(names, drivers));
    const missing = names.filter((n) => !good.has(n));
    if (missing.length > 0) {
      throw new InvalidSpec(`The specified name '${pyRepr(missing)}' could not be found.`);
    }
  },
};
