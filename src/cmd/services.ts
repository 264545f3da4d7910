/** Starting and stopping the long-running parts of senlin-ts inside one process. */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { type ApiMetrics, buildApp } from '../api/app.js';
import { createAuthenticator, createTrustBroker } from '../api/auth/index.js';
import { PolicyEnforcer } from '../api/policy/index.js';
import { createConductor } from '../conductor/index.js';
import type { Db } from '../db/connection.js';
import { Engine } from '../engine/engine.js';
import { SERVICE_BINARIES, ServiceRegistration } from '../engine/service-registry.js';
import type { EngineServices } from '../engine/services.js';
import type { Runtime } from './runtime.js';

/** Something to stop at shutdown. */
export interface Stoppable {
  stop(): Promise<void>;
}

/** Registers a service row with heartbeats for one process role. */
export async function registerService(
  rt: Runtime,
  db: Db,
  binary: string,
  id?: string,
): Promise<Stoppable> {
  const reg = await ServiceRegistration.start(db, {
    ...(id ? { id } : {}),
    host: rt.config.DEFAULT.host,
    binary,
    intervalSeconds: rt.config.DEFAULT.periodic_interval,
    onError: (err) => rt.logger.error({ err, binary }, 'service heartbeat failed'),
  });
  rt.logger.info({ id: reg.id, binary }, 'service registered');
  return reg;
}

/** Builds the API (with its conductor) and listens on `[senlin_api] bind_host:bind_port`. */
export async function startApi(
  rt: Runtime,
  services: EngineServices,
  options: { readonly metrics?: ApiMetrics } = {},
): Promise<Stoppable & { app: FastifyInstance; url: string }> {
  const { config } = rt;
  const { db } = services;
  const enforcer = PolicyEnforcer.load({
    policyFile: config.oslo_policy.policy_file,
    policyDirs: config.oslo_policy.policy_dirs,
    configDir: rt.loaded.configDir,
    defaultRule: config.oslo_policy.policy_default_rule,
  });
  const authenticator = createAuthenticator(config, {
    logger: { warn: (message) => rt.logger.warn(message) },
  });
  const conductor = createConductor(services);
  const trusts = createTrustBroker(config, conductor.credentials, {
    logger: { warn: (message) => rt.logger.warn(message) },
  });
  const { cert_file: certFile, key_file: keyFile } = config.senlin_api;
  const https =
    certFile && keyFile ? { cert: readFileSync(certFile), key: readFileSync(keyFile) } : undefined;
  const app = await buildApp({
    config,
    authenticator,
    enforcer,
    conductor,
    trusts,
    logger: rt.logger,
    ...(https ? { https } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const url = await app.listen({
    host: config.senlin_api.bind_host,
    port: config.senlin_api.bind_port,
    backlog: config.senlin_api.backlog,
  });
  rt.logger.info({ url, auth_strategy: config.DEFAULT.auth_strategy }, 'API listening');
  const registration = await registerService(rt, db, SERVICE_BINARIES.conductor);
  return {
    app,
    url,
    async stop() {
      await app.close();
      await registration.stop();
      await authenticator.close();
      trusts?.close();
    },
  };
}

/** Starts an engine: its service row (heartbeat) and its worker pool. */
export async function startEngine(rt: Runtime, services: EngineServices): Promise<Stoppable> {
  const registration = await registerService(
    rt,
    services.db,
    SERVICE_BINARIES.engine,
    services.engineId,
  );
  const engine = new Engine(services);
  engine.start();
  rt.logger.info({ id: services.engineId, threads: rt.config.engine.threads }, 'engine started');
  return {
    async stop() {
      await engine.stop();
      await registration.stop();
    },
  };
}
