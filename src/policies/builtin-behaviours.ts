/** Registers what each built-in policy type does around actions (imported for its effect). */

import { affinityBehaviour } from './affinity-behaviour.js';
import { batchBehaviour } from './batch-behaviour.js';
import { registerPolicyBehaviour } from './behaviours.js';
import { deletionBehaviour } from './deletion-behaviour.js';
import { healthBehaviour } from './health-behaviour.js';
import { loadBalanceBehaviour } from './load-balance-behaviour.js';
import { regionPlacementBehaviour } from './region-placement-behaviour.js';
import { scalingBehaviour } from './scaling-behaviour.js';
import { zonePlacementBehaviour } from './zone-placement-behaviour.js';

registerPolicyBehaviour('senlin.policy.scaling', scalingBehaviour);
registerPolicyBehaviour('senlin.policy.deletion', deletionBehaviour);
registerPolicyBehaviour('senlin.policy.batch', batchBehaviour);
registerPolicyBehaviour('senlin.policy.region_placement', regionPlacementBehaviour);
registerPolicyBehaviour('senlin.policy.zone_placement', zonePlacementBehaviour);
registerPolicyBehaviour('senlin.policy.health', healthBehaviour);
registerPolicyBehaviour('senlin.policy.affinity', affinityBehaviour);
registerPolicyBehaviour('senlin.policy.loadbalance', loadBalanceBehaviour);
