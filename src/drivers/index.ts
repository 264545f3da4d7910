/**
 * Chooses the cloud backend named by `[DEFAULT] cloud_backend`: `openstack` is the REST
 * drivers of `openstack/` (a real cloud reached through Keystone), `openstack_test` the fake
 * cloud of `fake/`.
 */
import type { Config } from '../config/options.js';
import { createFakeCloud, type FakeCloudOptions } from './fake/index.js';
import { createOpenStackBackend, type OpenStackBackendOptions } from './openstack/backend.js';
import { type CloudBackend, CloudError } from './types.js';

export { createFakeCloud, FakeCloud, type FakeCloudOptions } from './fake/index.js';
export {
  createOpenStackBackend,
  OpenStackBackend,
  type OpenStackBackendOptions,
} from './openstack/backend.js';

/** Overrides of what the configuration says. */
export interface CloudBackendOptions {
  /** Options of the fake cloud, over the `[fake_cloud]` group. */
  fake?: FakeCloudOptions;
  /** Options of the OpenStack backend, over the `[authentication]` group. */
  openstack?: OpenStackBackendOptions;
}

/** The cloud backend the configuration asks for. */
export function createCloudBackend(
  config: Config,
  options: CloudBackendOptions = {},
): CloudBackend {
  const backend = config.DEFAULT.cloud_backend;
  if (backend === 'openstack_test') {
    const group = config.fake_cloud;
    return createFakeCloud({
      statePath: group.state_file,
      defaultDelay: group.default_delay,
      clusteringEndpoint: group.clustering_endpoint,
      ...options.fake,
    });
  }
  if (backend === 'openstack') return createOpenStackBackend(config, options.openstack);
  throw new CloudError(500, `Unknown cloud backend ${backend}.`);
}
