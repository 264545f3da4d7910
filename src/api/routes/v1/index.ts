/** Every route of the Clustering API v1. */
import type { Conductor } from '../../../conductor/index.js';
import type { RouteDef } from '../../route.js';
import { miscRoutes } from './misc.js';
import { policyRoutes } from './policies.js';
import { profileRoutes } from './profiles.js';
import { typeRoutes } from './types.js';

/** The v1 routes served by this build. */
export function v1Routes(conductor: Conductor): RouteDef[] {
  return [
    ...miscRoutes(conductor),
    ...typeRoutes(conductor),
    ...profileRoutes(conductor),
    ...policyRoutes(conductor),
  ];
}
