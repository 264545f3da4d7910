/** Every route of the Clustering API v1. */
import type { Conductor } from '../../../conductor/index.js';
import type { RouteDef } from '../../route.js';
import { actionRoutes } from './actions.js';
import { clusterRoutes } from './clusters.js';
import { eventRoutes } from './events.js';
import { miscRoutes } from './misc.js';
import { nodeRoutes } from './nodes.js';
import { policyRoutes } from './policies.js';
import { profileRoutes } from './profiles.js';
import { receiverRoutes } from './receivers.js';
import { typeRoutes } from './types.js';
import { webhookRoutes } from './webhooks.js';

/** The v1 routes served by this build. */
export function v1Routes(conductor: Conductor): RouteDef[] {
  return [
    ...miscRoutes(conductor),
    ...typeRoutes(conductor),
    ...profileRoutes(conductor),
    ...policyRoutes(conductor),
    ...nodeRoutes(conductor),
    ...actionRoutes(conductor),
    ...eventRoutes(conductor),
    ...receiverRoutes(conductor),
    ...webhookRoutes(conductor),
    ...clusterRoutes(conductor),
  ];
}
