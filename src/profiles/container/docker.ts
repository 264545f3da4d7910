/** The Docker container profile type (`container.dockerinc.docker-1.0`). */
import { InvalidSpec } from '../../common/errors.js';
import {
  integerParam,
  integerProp,
  isTruthy,
  mapProp,
  operation,
  type PropertyMap,
  type ResolvedProperties,
  SupportStatus,
  stringProp,
} from '../../common/spec-schema/index.js';
import type { ProfileType } from '../types.js';

/** Properties of a `container.dockerinc.docker` spec. */
export const dockerSchema: PropertyMap = {
  context: mapProp({
    description: 'Overrides of the connection used to reach the hosting resources.',
  }),
  image: stringProp({ description: 'Image the container is created from.', required: true }),
  name: stringProp({
    description: 'Name of the container; derived from the node name when left out.',
    updatable: true,
  }),
  command: stringProp({ description: 'Command the container runs when it starts.' }),
  port: integerProp({
    description: 'TCP port of the Docker daemon on the hosting node.',
    default: 2375,
  }),
  host_node: stringProp({
    description: 'Name or ID of the node to run the container on (not with host_cluster).',
  }),
  host_cluster: stringProp({
    description: 'Name or ID of a cluster whose nodes may host the container (not with host_node).',
  }),
};

/** Checks that exactly one of `host_node` and `host_cluster` is given. */
export function validateDockerSpec(properties: ResolvedProperties): void {
  const cluster = isTruthy(properties.host_cluster);
  const node = isTruthy(properties.host_node);
  if (cluster && node) {
    throw new InvalidSpec("Either 'host_cluster' or 'host_node' must be specified, but not both.");
  }
  if (!cluster && !node) {
    throw new InvalidSpec("Either 'host_cluster' or 'host_node' must be specified.");
  }
}

/** `container.dockerinc.docker-1.0`: one container per node, on a node of another cluster. */
export const dockerProfileType: ProfileType = Object.freeze({
  name: 'container.dockerinc.docker',
  version: '1.0',
  typeName: 'container.dockerinc.docker-1.0',
  supportStatus: { '1.0': [{ status: SupportStatus.EXPERIMENTAL, since: '2017.02' }] },
  schema: dockerSchema,
  operations: {
    restart: operation('Restart the container.', {
      wait_time: integerParam({
        description: 'Seconds to wait for the container to stop before it is killed.',
      }),
    }),
    pause: operation('Pause all processes of the container.'),
    unpause: operation('Resume the processes of a paused container.'),
  },
  validateSpec: validateDockerSpec,
});
