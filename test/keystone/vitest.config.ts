import { defineConfig } from 'vitest/config';

/** Tests against a real Keystone started by test/keystone/run.sh (.ci/keystone.sh). */
export default defineConfig({
  test: {
    include: ['test/keystone/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
