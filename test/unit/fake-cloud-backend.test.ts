import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import {
  createCloudBackend,
  createUnavailableOpenStackBackend,
  FakeCloud,
  OPENSTACK_UNAVAILABLE,
} from '../../src/drivers/index.js';
import { CloudError } from '../../src/drivers/types.js';

const creds = { userId: 'u', projectId: 'p' };

describe('choosing the cloud backend', () => {
  it('makes the fake cloud for openstack_test with the [fake_cloud] options', async () => {
    const config = defaultConfig({
      DEFAULT: { cloud_backend: 'openstack_test' },
      fake_cloud: { default_delay: 0.25, clustering_endpoint: 'http://c:8777/v1' },
    });
    const backend = createCloudBackend(config);
    expect(backend).toBeInstanceOf(FakeCloud);
    expect(backend.name).toBe('openstack_test');
    expect((backend as FakeCloud).defaultDelay).toBe(0.25);
    expect(await backend.drivers(creds).identity.clusteringEndpoint()).toBe('http://c:8777/v1');
    await backend.close();
  });

  it('lets options override the configuration of the fake cloud', async () => {
    const config = defaultConfig({ DEFAULT: { cloud_backend: 'openstack_test' } });
    const backend = createCloudBackend(config, { fake: { defaultDelay: 1 } }) as FakeCloud;
    expect(backend.defaultDelay).toBe(1);
    expect(backend.statePath).toBeNull();
    await backend.close();
  });

  it('gives the same drivers for the same credentials', async () => {
    const config = defaultConfig({ DEFAULT: { cloud_backend: 'openstack_test' } });
    const backend = createCloudBackend(config);
    expect(backend.drivers(creds)).toBe(backend.drivers({ ...creds }));
    expect(backend.drivers(creds)).not.toBe(backend.drivers({ userId: 'u', projectId: 'q' }));
    await backend.close();
  });

  it('answers every call of the openstack backend with 501', async () => {
    const backend = createCloudBackend(defaultConfig({ DEFAULT: { cloud_backend: 'openstack' } }));
    expect(backend.name).toBe('openstack');
    const drivers = backend.drivers(creds);
    const error = await drivers.compute.getServer('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect((error as CloudError).status).toBe(501);
    expect((error as CloudError).message).toBe(OPENSTACK_UNAVAILABLE);
    await expect(drivers.container('tcp://h:2375').startContainer('c')).rejects.toMatchObject({
      status: 501,
    });
    await expect(createUnavailableOpenStackBackend().close()).resolves.toBeUndefined();
  });
});
