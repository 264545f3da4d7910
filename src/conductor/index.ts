/** The conductor: what each API call does, as plain operations over the database. */
import { actionOperations } from './actions.js';
import { clusterOperations } from './clusters.js';
import { credentialOperations } from './credentials.js';
import type { ConductorDeps } from './deps.js';
import { eventOperations } from './events.js';
import { nodeOperations } from './nodes.js';
import { policyOperations } from './policies.js';
import { profileOperations } from './profiles.js';
import { receiverOperations } from './receivers.js';
import { serviceOperations } from './services.js';
import { typeOperations } from './types.js';
import { webhookOperations } from './webhooks.js';

/** Every conductor operation, grouped by resource. */
export function createConductor(deps: ConductorDeps) {
  return {
    deps,
    profiles: profileOperations(deps),
    policies: policyOperations(deps),
    types: typeOperations,
    services: serviceOperations(deps),
    clusters: clusterOperations(deps),
    nodes: nodeOperations(deps),
    actions: actionOperations(deps),
    events: eventOperations(deps),
    receivers: receiverOperations(deps),
    webhooks: webhookOperations(deps),
    credentials: credentialOperations(deps),
    /** Revisions reported by `GET /v1/build-info`. */
    buildInfo(): { api: string; engine: string } {
      return {
        api: deps.config.revision.senlin_api_revision,
        engine: deps.config.revision.senlin_engine_revision,
      };
    },
  };
}

/** The conductor object the API uses. */
export type Conductor = ReturnType<typeof createConductor>;
export type { ConductorDeps } from './deps.js';
