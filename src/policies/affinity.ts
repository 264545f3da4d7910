/** The affinity policy (`senlin.policy.affinity`): places Nova servers through a server group. */
import {
  allowedValues,
  booleanProp,
  mapProp,
  type PropertyMap,
  SupportStatus,
  stringProp,
} from '../common/spec-schema/index.js';
import { type PolicyType, policyTypeVersions } from './types.js';

/** Properties of a `senlin.policy.affinity` spec. */
export const affinitySchema: PropertyMap = {
  servergroup: mapProp({
    description: 'The Nova server group the nodes join.',
    schema: {
      name: stringProp({
        description: 'Name of an existing server group to use, or of the one to create.',
      }),
      policies: stringProp({
        description: 'Placement rule of the server group.',
        default: 'anti-affinity',
        constraints: [
          allowedValues(['affinity', 'soft-affinity', 'anti-affinity', 'soft-anti-affinity']),
        ],
      }),
    },
  }),
  availability_zone: stringProp({
    description: 'Availability zone to create the nodes in.',
  }),
  enable_drs_extension: booleanProp({
    description: 'Whether to pick hosts through the vSphere DRS extension.',
    default: false,
  }),
};

/**
 * `senlin.policy.affinity-1.0`. Its only spec check (the availability zone exists) needs the
 * cloud.
 */
export const affinityPolicyTypes: readonly PolicyType[] = policyTypeVersions({
  name: 'senlin.policy.affinity',
  versions: ['1.0'],
  supportStatus: { '1.0': [{ status: SupportStatus.SUPPORTED, since: '2016.10' }] },
  schema: affinitySchema,
  priority: 300,
  singleton: true,
  profileTypes: ['os.nova.server-1.0'],
  targets: [
    ['BEFORE', 'CLUSTER_SCALE_OUT'],
    ['BEFORE', 'CLUSTER_RESIZE'],
    ['BEFORE', 'NODE_CREATE'],
  ],
  dataEnvelope: { key: 'AffinityPolicy', version: '1.0' },
  resolveFirst: ['enable_drs_extension'],
});
