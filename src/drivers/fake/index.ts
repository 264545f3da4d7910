/**
 * The fake cloud (`cloud_backend = openstack_test`): an in-memory OpenStack for tests and
 * demos. See README.md in this folder for the catalogue and the failure hints.
 */
export { createFakeCloud, FakeCloud, type FakeCloudOptions, type ServerFilter } from './backend.js';
export {
  ADMIN_PROJECT_ID,
  catalogueId,
  FLAVORS,
  HOSTS,
  IMAGES,
  KEYPAIR,
  LB_FLAVORS,
  LB_ZONES,
  NETWORKS,
  REGIONS,
  VOLUME_TYPES,
  ZONES,
} from './catalogue.js';
export type { FakeService, FaultHandle, FaultRegistry, FaultSpec } from './faults.js';
export { K as FAKE_KINDS } from './kinds.js';
export { FAIL_KEY, WAIT_KEY } from './simulate.js';
export type { PostedMessages } from './world.js';
