/**
 * The zone placement policy (`senlin.policy.zone_placement`): spreads Nova servers over
 * availability zones.
 */
import {
  integerProp,
  listProp,
  mapProp,
  type PropertyMap,
  type ResolvedProperties,
  SupportStatus,
  stringProp,
} from '../common/spec-schema/index.js';
import { checkPlacementList } from './placement-checks.js';
import { type PolicyType, policyTypeVersions } from './types.js';

/** Properties of a `senlin.policy.zone_placement` spec. */
export const zonePlacementSchema: PropertyMap = {
  zones: listProp(
    mapProp({
      description: 'An availability zone nodes may be placed in.',
      schema: {
        name: stringProp({ description: 'Name of the availability zone.' }),
        weight: integerProp({
          description: 'Share of the nodes the zone receives, relative to the other weights.',
          default: 100,
        }),
      },
    }),
    { description: 'The availability zones to spread nodes over.' },
  ),
};

/** Checks the zone list (names, weights). */
export function validateZonePlacementSpec(properties: ResolvedProperties): void {
  checkPlacementList('zones', properties.zones, false);
}

/** `senlin.policy.zone_placement-1.0`. */
export const zonePlacementPolicyTypes: readonly PolicyType[] = policyTypeVersions({
  name: 'senlin.policy.zone_placement',
  versions: ['1.0'],
  supportStatus: {
    '1.0': [
      { status: SupportStatus.EXPERIMENTAL, since: '2016.04' },
      { status: SupportStatus.SUPPORTED, since: '2016.10' },
    ],
  },
  schema: zonePlacementSchema,
  priority: 300,
  singleton: true,
  profileTypes: ['os.nova.server-1.0'],
  targets: [
    ['BEFORE', 'CLUSTER_SCALE_OUT'],
    ['BEFORE', 'CLUSTER_SCALE_IN'],
    ['BEFORE', 'CLUSTER_RESIZE'],
    ['BEFORE', 'NODE_CREATE'],
  ],
  dataEnvelope: { key: 'ZonePlacementPolicy', version: '1.0' },
  resolveFirst: ['zones'],
  validateSpec: validateZonePlacementSpec,
});
