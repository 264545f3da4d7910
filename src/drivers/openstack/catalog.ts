/**
 * The service catalog of a Keystone v3 token: endpoint lookup by service type (with the
 * historical aliases of a type), interface and region.
 */
import { CloudError } from '../types.js';

/** One endpoint of a catalog entry. */
export interface CatalogEndpoint {
  readonly url: string;
  readonly interface: string;
  readonly region?: string | null;
  readonly region_id?: string | null;
}

/** One service of the catalog. */
export interface CatalogEntry {
  readonly type: string;
  readonly name?: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

/** The catalog has no endpoint for a service (a 500: the cloud is not set up for the call). */
export class EndpointNotFound extends CloudError {
  constructor(message: string) {
    super(500, message);
    this.name = 'EndpointNotFound';
  }
}

/** Service types that older deployments register under other names, in order of preference. */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  'block-storage': ['block-storage', 'volumev3', 'volume'],
  volumev3: ['volumev3', 'block-storage', 'volume'],
  'load-balancer': ['load-balancer'],
  messaging: ['messaging'],
  orchestration: ['orchestration'],
  clustering: ['clustering'],
};

function normalInterface(name: string): string {
  return name.toLowerCase().replace(/url$/, '');
}

/** The types to look for when `serviceType` is asked for. */
export function serviceTypeCandidates(serviceType: string): readonly string[] {
  return ALIASES[serviceType] ?? [serviceType];
}

/**
 * The URL of `serviceType` for `interface` in `region` (any region when null), or null when the
 * catalog has no such endpoint.
 */
export function findEndpoint(
  catalog: readonly CatalogEntry[],
  serviceType: string,
  iface: string,
  region: string | null,
): string | null {
  const wanted = normalInterface(iface);
  for (const type of serviceTypeCandidates(serviceType)) {
    for (const entry of catalog.filter((e) => e.type === type)) {
      const match = entry.endpoints.find(
        (ep) =>
          normalInterface(ep.interface) === wanted &&
          (region === null || ep.region_id === region || ep.region === region),
      );
      if (match) return match.url.replace(/\/+$/, '');
    }
  }
  return null;
}

/** Like findEndpoint, but a missing endpoint is an error naming what was looked for. */
export function requireEndpoint(
  catalog: readonly CatalogEntry[],
  serviceType: string,
  iface: string,
  region: string | null,
): string {
  const url = findEndpoint(catalog, serviceType, iface, region);
  if (url !== null) return url;
  const where = region === null ? '' : ` in region ${region}`;
  throw new EndpointNotFound(
    `No ${normalInterface(iface)} endpoint of service type ${serviceType}${where} in the service catalog.`,
  );
}
