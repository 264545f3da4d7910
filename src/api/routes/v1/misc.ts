/** /v1/ (version document), /v1/build-info and /v1/services. */
import type { Conductor } from '../../../conductor/index.js';
import type { RouteDef } from '../../route.js';
import { absoluteUrl } from '../../route.js';
import { versionEntry } from '../../versions.js';
import { serviceView } from '../../views/services.js';

/** Routes that belong to no resource. */
export function miscRoutes(conductor: Conductor): RouteDef[] {
  return [
    {
      method: 'GET',
      url: '/v1/',
      rule: null,
      handler: async ({ request }) => ({
        status: 200,
        body: { version: versionEntry(absoluteUrl(request, '')) },
      }),
    },
    {
      method: 'GET',
      url: '/v1/build-info',
      rule: 'build_info:build_info',
      handler: async () => {
        const info = conductor.buildInfo();
        return {
          status: 200,
          body: { build_info: { api: { revision: info.api }, engine: { revision: info.engine } } },
        };
      },
    },
    {
      method: 'GET',
      url: '/v1/services',
      rule: 'services:index',
      handler: async ({ ctx }) => ({
        status: 200,
        body: { services: (await conductor.services.list(ctx)).map(serviceView) },
      }),
    },
  ];
}
