import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Runs the files in path order, so that the final leftover check comes last. */
class PathOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}

/**
 * Tests against the real OpenStack lab and senlin-ts started by test/openstack/run.sh: the
 * scenarios through senlin-ts's API, the driver tests against the real services, the contract
 * scenarios run against the real cloud, and last a check that nothing was left behind. One
 * file at a time: the lab has two small fake hypervisors and a single worker per service.
 */
export default defineConfig({
  test: {
    include: ['test/openstack/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    pool: 'forks',
    fileParallelism: false,
    sequence: { sequencer: PathOrder },
  },
});
