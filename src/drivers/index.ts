/**
 * Chooses the cloud backend named by `[DEFAULT] cloud_backend`: `openstack_test` is the fake
 * cloud of `fake/`; `openstack` (the OpenStack REST drivers) is not part of this build yet and
 * answers every call with a 501.
 */
import type { Config } from '../config/options.js';
import { createFakeCloud, type FakeCloudOptions } from './fake/index.js';
import {
  type CloudBackend,
  type CloudDrivers,
  CloudError,
  type ComputeDriver,
  type ContainerDriver,
} from './types.js';

export { createFakeCloud, FakeCloud, type FakeCloudOptions } from './fake/index.js';

/** Overrides of what the configuration says. */
export interface CloudBackendOptions {
  /** Options of the fake cloud, over the `[fake_cloud]` group. */
  fake?: FakeCloudOptions;
}

/** Message of every call of the `openstack` backend in this build. */
export const OPENSTACK_UNAVAILABLE = 'The OpenStack REST drivers are not available in this build.';

/** A driver whose every method rejects with 501. */
function unavailableDriver<T extends object>(): T {
  return new Proxy({} as T, {
    get(_target, prop) {
      if (prop === 'then' || typeof prop === 'symbol') return undefined;
      return async () => {
        throw new CloudError(501, OPENSTACK_UNAVAILABLE);
      };
    },
  });
}

/** The `openstack` backend of this build: every driver call fails with 501. */
export function createUnavailableOpenStackBackend(): CloudBackend {
  const drivers: CloudDrivers = {
    compute: unavailableDriver<ComputeDriver>(),
    network: unavailableDriver(),
    image: unavailableDriver(),
    blockStorage: unavailableDriver(),
    orchestration: unavailableDriver(),
    loadBalancer: unavailableDriver(),
    identity: unavailableDriver(),
    message: unavailableDriver(),
    container: () => unavailableDriver<ContainerDriver>(),
  };
  return {
    name: 'openstack',
    drivers: () => drivers,
    close: async () => {},
  };
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
  if (backend === 'openstack') return createUnavailableOpenStackBackend();
  throw new CloudError(500, `Unknown cloud backend ${backend}.`);
}
