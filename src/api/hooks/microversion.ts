/**
 * Microversion negotiation: `OpenStack-API-Version: clustering X.Y` (the last clustering entry
 * of a comma-separated list wins), default 1.0, `latest` = the maximum; a malformed version is
 * a 400 in webob's format, one out of range a 406. Runs before authentication.
 */
import { ApiVersion, MAX_API_VERSION, MIN_API_VERSION } from '../../common/api-version.js';
import { InvalidGlobalAPIVersion, WebobError } from '../../common/errors.js';

/** Service type name used in the microversion header. */
export const SERVICE_TYPE = 'clustering';

/** The requested version text, or null when the header names no clustering version. */
export function requestedVersion(header: string | string[] | undefined): string | null {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  let found: string | null = null;
  for (const value of values) {
    for (const item of value.split(',')) {
      const [service, version] = item.trim().split(/\s+/, 2);
      if (service && version !== undefined && service.toLowerCase() === SERVICE_TYPE)
        found = version;
    }
  }
  return found;
}

/** Negotiates the microversion of a request from its header value(s). */
export function negotiateVersion(header: string | string[] | undefined): ApiVersion {
  const text = requestedVersion(header);
  if (text === null) return MIN_API_VERSION;
  if (text.toLowerCase() === 'latest') return MAX_API_VERSION;
  const version = ApiVersion.parse(text);
  if (!version) {
    throw new WebobError(
      400,
      `API Version String '${text}' is of invalid format. It must be of format 'major.minor'.`,
    );
  }
  if (version.compare(MIN_API_VERSION) < 0 || version.compare(MAX_API_VERSION) > 0) {
    throw new InvalidGlobalAPIVersion(text, MIN_API_VERSION.toString(), MAX_API_VERSION.toString());
  }
  return version;
}
