/** Every scenario of the driver contract, grouped by service. */
import { describe } from 'vitest';
import { computeScenarios } from './compute-scenarios.js';
import { identityScenarios, imageScenarios } from './image-identity-scenarios.js';
import { networkScenarios } from './network-scenarios.js';
import type { TargetRef } from './target.js';
import { volumeScenarios } from './volume-scenarios.js';

export { Cleanup, type ContractTarget, type TargetRef, uniqueName } from './target.js';

/** Registers the whole driver contract for a target. */
export function driverContract(target: TargetRef): void {
  describe('compute', () => computeScenarios(target));
  describe('network', () => networkScenarios(target));
  describe('image', () => imageScenarios(target));
  describe('block storage', () => volumeScenarios(target));
  describe('identity', () => identityScenarios(target));
}
