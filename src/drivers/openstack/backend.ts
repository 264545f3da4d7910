/**
 * The `openstack` cloud backend: drivers over the REST APIs of a real cloud. Every set of
 * credentials gets one Keystone session (cached, with a bound, per user, project, trust,
 * region and connection overrides) and the service drivers over it.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../../config/options.js';
import {
  type CloudBackend,
  type CloudCredentials,
  type CloudDrivers,
  CloudError,
  type ContainerDriver,
} from '../types.js';
import { createBlockStorageDriver } from './block-storage.js';
import { createComputeDriver } from './compute.js';
import { createContainerDriver } from './container.js';
import { type CredentialSettings, resolveAuth } from './credentials.js';
import type { FetchLike, HttpSettings } from './http.js';
import { createIdentityDriver } from './identity.js';
import { createImageDriver } from './image.js';
import { createLoadBalancerDriver } from './load-balancer.js';
import { createMessageDriver } from './message.js';
import { createNetworkDriver } from './network.js';
import { driverOptionsFromConfig, type OpenStackDriverOptions } from './options.js';
import { createOrchestrationDriver } from './orchestration.js';
import { KeystoneSession } from './session.js';
import { createTlsFetch, needsTlsFetch, type TlsSettings } from './tls-fetch.js';

/** Overrides of the configuration (tests, tools). */
export interface OpenStackBackendOptions {
  /** Replaces the global fetch. */
  fetch?: FetchLike;
  /** Sessions kept at most (the least recently used goes first; default 256). */
  maxSessions?: number;
  /** First pause between retries in milliseconds (default 500). */
  retryDelayMs?: number;
  /** Longest pause between retries in milliseconds (default 10000). */
  retryMaxDelayMs?: number;
  /** Milliseconds between polls of waits (default 2000). */
  waitIntervalMs?: number;
}

interface Entry {
  readonly session: KeystoneSession;
  readonly drivers: CloudDrivers;
}

/** The `openstack` backend. */
export class OpenStackBackend implements CloudBackend {
  readonly name = 'openstack';
  readonly #config: Config;
  readonly #overrides: OpenStackBackendOptions;
  readonly #http: HttpSettings;
  readonly #closing = new AbortController();
  readonly #entries = new Map<string, Entry>();
  readonly #maxSessions: number;
  #service: KeystoneSession | null = null;
  readonly #releaseTransport: () => void;

  constructor(config: Config, overrides: OpenStackBackendOptions = {}) {
    this.#config = config;
    this.#overrides = overrides;
    this.#maxSessions = Math.max(1, overrides.maxSessions ?? 256);
    const auth = config.authentication;
    const transport: FetchLike & { close?: () => void } = overrides.fetch ?? cloudFetch(config);
    this.#releaseTransport = () => transport.close?.();
    this.#http = {
      fetch: transport,
      connectRetries: auth.connect_retries,
      statusRetries: auth.status_code_retries,
      retryDelayMs: overrides.retryDelayMs ?? 500,
      retryMaxDelayMs: overrides.retryMaxDelayMs ?? 10_000,
      timeoutMs: driverOptionsFromConfig(config).requestTimeoutMs,
      closed: this.#closing.signal,
    };
  }

  /** Sessions currently cached. */
  get sessionCount(): number {
    return this.#entries.size;
  }

  #settings(): CredentialSettings {
    const auth = this.#config.authentication;
    return {
      authUrl: auth.auth_url || this.#config.keystone_authtoken.auth_url || '',
      username: auth.service_username,
      password: auth.service_password,
      userDomain: auth.service_user_domain,
      projectName: auth.service_project_name,
      projectDomain: auth.service_project_domain,
      defaultRegion: this.#config.DEFAULT.default_region_name,
    };
  }

  #driverOptions(region: string | null): OpenStackDriverOptions {
    const base = driverOptionsFromConfig(this.#config, region);
    const interval = this.#overrides.waitIntervalMs;
    return interval === undefined ? base : { ...base, waitIntervalMs: interval };
  }

  /** The session of senlin's service user in its own project. */
  serviceSession(): KeystoneSession {
    if (this.#service === null) {
      const resolved = resolveAuth(this.#settings(), { userId: '', projectId: '' });
      this.#service = new KeystoneSession({
        http: this.#http,
        method: resolved.method,
        interface: this.#config.authentication.interface,
        region: resolved.region,
      });
    }
    return this.#service;
  }

  drivers(credentials: CloudCredentials): CloudDrivers {
    const resolved = resolveAuth(this.#settings(), credentials);
    const key = createHash('sha256').update(resolved.key).digest('hex');
    const known = this.#entries.get(key);
    if (known) {
      // Most recently used last, so that eviction drops the oldest.
      this.#entries.delete(key);
      this.#entries.set(key, known);
      return known.drivers;
    }
    const session = new KeystoneSession({
      http: this.#http,
      method: resolved.method,
      interface: this.#config.authentication.interface,
      region: resolved.region,
      requestId: resolved.requestId,
    });
    const entry = { session, drivers: this.#build(session, resolved.region) };
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#maxSessions) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return entry.drivers;
  }

  #build(session: KeystoneSession, region: string | null): CloudDrivers {
    const options = this.#driverOptions(region);
    const containers = new Map<string, ContainerDriver>();
    return {
      compute: createComputeDriver(session, options),
      network: createNetworkDriver(session, options),
      image: createImageDriver(session, options),
      blockStorage: createBlockStorageDriver(session, options),
      orchestration: createOrchestrationDriver(session, options),
      loadBalancer: createLoadBalancerDriver(session, options),
      identity: createIdentityDriver(session, options, {
        serviceSession: this.serviceSession(),
      }),
      message: createMessageDriver(session, options),
      container(url: string) {
        let driver = containers.get(url);
        if (!driver) {
          driver = createContainerDriver(url, options);
          containers.set(url, driver);
        }
        return driver;
      },
    };
  }

  async close(): Promise<void> {
    if (!this.#closing.signal.aborted) {
      this.#closing.abort(new CloudError(503, 'The cloud backend is closed.'));
    }
    this.#entries.clear();
    this.#service = null;
    this.#releaseTransport();
  }
}

/** The TLS settings of `[authentication]`. */
export function tlsSettings(config: Config): TlsSettings {
  const auth = config.authentication;
  return {
    verify: auth.verify_ssl && !auth.insecure,
    cafile: auth.cafile,
    certfile: auth.certfile,
    keyfile: auth.keyfile,
  };
}

/** The global fetch, or one with the TLS settings when the configuration has any. */
function cloudFetch(config: Config): FetchLike & { close?: () => void } {
  const tls = tlsSettings(config);
  if (needsTlsFetch(tls)) return createTlsFetch(tls);
  return (url, init) => fetch(url, init);
}

/** Makes the `openstack` backend from the configuration. */
export function createOpenStackBackend(
  config: Config,
  overrides: OpenStackBackendOptions = {},
): OpenStackBackend {
  return new OpenStackBackend(config, overrides);
}
