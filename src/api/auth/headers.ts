/** Reading request headers the way both authentication strategies need it. */
import type { AuthRequest } from '../auth-types.js';

/**
 * The value of a header (name in lower case), the first one when it was sent several times,
 * trimmed; `undefined` when the header is absent.
 */
export function headerValue(request: AuthRequest, name: string): string | undefined {
  const raw = request.headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined ? undefined : value.trim();
}

/** The first of several headers that is present and not empty. */
export function firstHeader(request: AuthRequest, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = headerValue(request, name);
    if (value) return value;
  }
  return undefined;
}

/** Splits a comma-separated header value into its non-empty, trimmed items. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
