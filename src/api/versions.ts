/** The version discovery documents. */
import { MAX_API_VERSION, MIN_API_VERSION } from '../common/api-version.js';

/** The one API version entry (`id` 1.0) with its microversion range. */
export function versionEntry(applicationUrl: string): Record<string, unknown> {
  return {
    id: '1.0',
    status: 'CURRENT',
    updated: '2016-01-18T00:00:00Z',
    'media-types': [
      { base: 'application/json', type: 'application/vnd.openstack.clustering-v1+json' },
    ],
    links: [
      { href: `${applicationUrl}/v1`, rel: 'self' },
      { rel: 'help', href: 'https://docs.openstack.org/api-ref/clustering' },
    ],
    min_version: MIN_API_VERSION.toString(),
    max_version: MAX_API_VERSION.toString(),
  };
}
