/** The Heat, Octavia, Zaqar and Docker scenarios of the driver contract, grouped by service. */
import { describe } from 'vitest';
import { containerScenarios } from './container-scenarios.js';
import { loadBalancerScenarios } from './load-balancer-scenarios.js';
import { messageScenarios } from './message-scenarios.js';
import { orchestrationScenarios } from './orchestration-scenarios.js';
import type { ServicesTargetRef } from './services-target.js';

export type { ServicesTarget, ServicesTargetRef } from './services-target.js';

/** Registers the scenarios of the four services for a target. */
export function servicesContract(target: ServicesTargetRef): void {
  describe('orchestration', () => orchestrationScenarios(target));
  describe('load balancer', () => loadBalancerScenarios(target));
  describe('message queue', () => messageScenarios(target));
  describe('container', () => containerScenarios(target));
}
