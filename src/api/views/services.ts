/** Wire shape of services. */
import { isoNaive } from '../../common/time.js';
import type { ServiceStatus } from '../../conductor/services.js';

/** A service as `GET /v1/services` returns it. */
export function serviceView(s: ServiceStatus): Record<string, unknown> {
  return {
    id: s.id,
    host: s.host,
    binary: s.binary,
    topic: s.topic,
    disabled_reason: s.disabledReason,
    status: s.disabled ? 'disabled' : 'enabled',
    state: s.state,
    updated_at: isoNaive(s.updatedAt),
  };
}
