import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { createCloudBackend, FakeCloud, OpenStackBackend } from '../../src/drivers/index.js';

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

  it('makes the OpenStack REST backend for openstack', async () => {
    const backend = createCloudBackend(defaultConfig({ DEFAULT: { cloud_backend: 'openstack' } }));
    expect(backend).toBeInstanceOf(OpenStackBackend);
    expect(backend.name).toBe('openstack');
    expect(backend.drivers(creds)).toBe(backend.drivers({ ...creds }));
    await backend.close();
  });
});
