/**
 * What the OpenStack REST drivers take from the configuration: endpoint selection, request
 * timeouts and retries, and the defaults of waits.
 */
import type { Config } from '../../config/options.js';

/** Settings every OpenStack service driver receives. */
export interface OpenStackDriverOptions {
  /** Region of the endpoints (`context.region_name`, else `[DEFAULT] default_region_name`). */
  readonly region: string | null;
  /** Catalog interface of the endpoints (`[authentication] interface`). */
  readonly interface: string;
  /** Seconds of a Nova wait without a timeout of the caller (`default_nova_timeout`). */
  readonly novaTimeout: number;
  /** Seconds of other waits without a timeout of the caller (`default_action_timeout`). */
  readonly actionTimeout: number;
  /** Milliseconds between two polls of a wait unless the caller asks for another interval. */
  readonly waitIntervalMs: number;
  /** Milliseconds before one HTTP request is abandoned (`[authentication] timeout`). */
  readonly requestTimeoutMs: number;
}

/** Seconds between polls of a wait, as upstream's SDK waits do. */
export const DEFAULT_WAIT_INTERVAL_MS = 2_000;

/** Milliseconds before a request is abandoned when `[authentication] timeout` is unset. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** The driver options of a configuration, for one region (null: the configured default). */
export function driverOptionsFromConfig(
  config: Config,
  region: string | null = null,
): OpenStackDriverOptions {
  const timeout = config.authentication.timeout;
  return {
    region: region ?? config.DEFAULT.default_region_name,
    interface: config.authentication.interface,
    novaTimeout: config.DEFAULT.default_nova_timeout,
    actionTimeout: config.DEFAULT.default_action_timeout,
    waitIntervalMs: DEFAULT_WAIT_INTERVAL_MS,
    requestTimeoutMs: timeout === null ? DEFAULT_REQUEST_TIMEOUT_MS : timeout * 1000,
  };
}
