/** The region placement policy (`senlin.policy.region_placement`): spreads nodes over regions. */
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

/** Properties of a `senlin.policy.region_placement` spec. */
export const regionPlacementSchema: PropertyMap = {
  regions: listProp(
    mapProp({
      description: 'A region nodes may be placed in.',
      schema: {
        name: stringProp({ description: 'Name of the region.' }),
        weight: integerProp({
          description: 'Share of the nodes the region receives, relative to the other weights.',
          default: 100,
        }),
        cap: integerProp({
          description: 'Most nodes the region may hold; -1 sets no limit.',
          default: -1,
        }),
      },
    }),
    { description: 'The regions to spread nodes over.' },
  ),
};

/** Checks the region list (names, weights, caps). */
export function validateRegionPlacementSpec(properties: ResolvedProperties): void {
  checkPlacementList('regions', properties.regions, true);
}

/** `senlin.policy.region_placement-1.0`. */
export const regionPlacementPolicyTypes: readonly PolicyType[] = policyTypeVersions({
  name: 'senlin.policy.region_placement',
  versions: ['1.0'],
  supportStatus: {
    '1.0': [
      { status: SupportStatus.EXPERIMENTAL, since: '2016.04' },
      { status: SupportStatus.SUPPORTED, since: '2016.10' },
    ],
  },
  schema: regionPlacementSchema,
  priority: 200,
  singleton: true,
  profileTypes: ['ANY'],
  targets: [
    ['BEFORE', 'CLUSTER_SCALE_OUT'],
    ['BEFORE', 'CLUSTER_SCALE_IN'],
    ['BEFORE', 'CLUSTER_RESIZE'],
    ['BEFORE', 'NODE_CREATE'],
  ],
  dataEnvelope: { key: 'RegionPlacementPolicy', version: '1.0' },
  resolveFirst: ['regions'],
  validateSpec: validateRegionPlacementSpec,
});
