import { defineConfig } from 'vitest/config';

/**
 * Tests of the OpenStack REST drivers against the real lab (Keystone on 127.0.0.1:5000 with
 * Nova, Neutron, Glance and Cinder):
 *   npx vitest run --dir test/openstack/drivers --config test/openstack/drivers/vitest.config.ts
 * (without `--dir` every test under test/openstack runs). They create servers, ports, volumes
 * and trusts and delete them all again; the files run one after the other so that the small
 * lab is not overrun.
 */
export default defineConfig({
  test: {
    dir: 'test/openstack',
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
