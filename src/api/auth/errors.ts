/** Errors of the authentication layer that are not in the shared contract. */
import { SenlinError } from '../../common/errors.js';

/** The text keystonemiddleware answers with when the identity service cannot be used. */
export const SERVICE_UNAVAILABLE_MESSAGE =
  'The server is currently unavailable. Please try again at a later time.';

/** The text keystonemiddleware answers with for a missing, invalid or expired token. */
export const UNAUTHORIZED_MESSAGE = 'The request you have made requires authentication.';

/**
 * 503: tokens cannot be validated right now (Keystone unreachable, answering 5xx, refusing the
 * service credentials, or answering something unreadable). `detail` says which, for logs only.
 */
export class ServiceUnavailable extends SenlinError {
  readonly detail: string;

  constructor(detail: string, options?: { cause?: unknown }) {
    super(SERVICE_UNAVAILABLE_MESSAGE, 503, 'ServiceUnavailable');
    this.detail = detail;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** The configuration does not allow the chosen strategy to work (raised at start-up). */
export class AuthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthConfigError';
  }
}
