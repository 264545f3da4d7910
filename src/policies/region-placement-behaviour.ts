/**
 * What the region placement policy does (engine contract §5.5): spreads the nodes a cluster
 * gains or loses over Keystone regions by weight and cap. New nodes get their region in
 * `data.placement.region_name`.
 */
import { InvalidSpec } from '../common/errors.js';
import { pyRepr } from '../common/py-repr.js';
import { isPlainObject } from '../common/spec-schema/index.js';
import type { CloudDrivers } from '../drivers/types.js';
import type { PolicyBehaviour } from '../engine/contracts.js';
import { type PlacementKind, placementBehaviour, readTargets } from './placement-behaviour.js';

/** The names among `names` that are regions of the cloud. */
export async function usableRegions(
  names: readonly string[],
  drivers: CloudDrivers,
): Promise<string[]> {
  const known = new Set(await drivers.identity.listRegions());
  return names.filter((n) => known.has(n));
}

const regionKind: PlacementKind = {
  key: 'regions',
  nodeKey: 'region_name',
  noneUsable: 'No region is found usable.',
  usable: usableRegions,
  fixedByProfile: (profile) => 'region_name' in profile.context,
  replaces: () => false,
  async groupOf(member) {
    const placement = member.data.placement;
    const region = isPlainObject(placement) ? placement.region_name : null;
    return typeof region === 'string' ? region : null;
  },
};

/** The behaviour of `senlin.policy.region_placement`. */
export const regionPlacementBehaviour: PolicyBehaviour = {
  ...placementBehaviour(regionKind),
  async validateWithCloud(properties, drivers): Promise<void> {
    const names = readTargets(properties.regions)
      .map((t) => t.name)
      .sort();
    const good = new Set(await usableRegions(names, drivers));
    const missing = names.filter((n) => !good.has(n));
    if (missing.length > 0) {
      throw new InvalidSpec(`The specified regions '${pyRepr(missing)}' could not be found.`);
    }
  },
};
