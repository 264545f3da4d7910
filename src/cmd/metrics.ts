/**
 * Prometheus metrics of a senlin-ts process, served on `[metrics] bind_host:bind_port`
 * (`GET /metrics`, text exposition format) when the port is set. Every role reports its
 * process metrics and what it does itself (API requests, actions run, health checks); the
 * counts of actions, clusters, nodes and services are read from the database at each scrape,
 * so any one process shows the whole deployment's.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ApiMetrics } from '../api/app.js';
import type { Config } from '../config/options.js';
import type { Db } from '../db/connection.js';
import { isServiceUp, listServices } from '../db/queries/services.js';
import {
  countActionsByStatus,
  countClustersByStatus,
  countNodesByStatus,
  type StatusCounts,
} from '../db/queries/stats.js';
import type { EngineMetrics } from '../engine/metrics.js';

/** The instruments of one process and the registry that exposes them. */
export interface ProcessMetrics {
  readonly registry: Registry;
  readonly api: ApiMetrics;
  readonly engine: EngineMetrics;
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const ACTION_BUCKETS = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

function statusGauge(
  registry: Registry,
  name: string,
  help: string,
  read: () => Promise<StatusCounts>,
  onError: (err: unknown) => void,
): void {
  new Gauge({
    name,
    help,
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const [status, n] of await read()) this.set({ status }, n);
      } catch (err) {
        onError(err);
      }
    },
  });
}

/** Creates the instruments of a process over its database. */
export function createProcessMetrics(config: Config, db: Db, logger: Logger): ProcessMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const onError = (err: unknown) => logger.warn({ err }, 'metrics: database counts unavailable');

  const requests = new Histogram({
    name: 'senlin_api_request_duration_seconds',
    help: 'Duration of API requests by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const running = new Gauge({
    name: 'senlin_engine_actions_running',
    help: 'Actions this process is running now.',
    registers: [registry],
  });
  const actions = new Histogram({
    name: 'senlin_engine_action_duration_seconds',
    help: 'Duration of the actions this process ran, by action name and result (OK, ERROR, CANCEL, TIMEOUT, RETRY).',
    labelNames: ['action', 'result'],
    buckets: ACTION_BUCKETS,
    registers: [registry],
  });
  const checks = new Counter({
    name: 'senlin_health_node_checks_total',
    help: 'Health checks of nodes this process made, by result.',
    labelNames: ['result'],
    registers: [registry],
  });
  const recoveries = new Counter({
    name: 'senlin_health_recoveries_total',
    help: 'Recoveries of unhealthy nodes this process asked for (requested) or put off because the node was busy (busy).',
    labelNames: ['outcome'],
    registers: [registry],
  });

  statusGauge(
    registry,
    'senlin_actions',
    'Actions in the database by status.',
    () => db.retry(countActionsByStatus),
    onError,
  );
  statusGauge(
    registry,
    'senlin_clusters',
    'Clusters in the database by status.',
    () => db.retry(countClustersByStatus),
    onError,
  );
  statusGauge(
    registry,
    'senlin_nodes',
    'Nodes in the database by status.',
    () => db.retry(countNodesByStatus),
    onError,
  );
  new Gauge({
    name: 'senlin_services',
    help: 'Service rows by binary and state: up when the last heartbeat is within [DEFAULT] service_down_time.',
    labelNames: ['binary', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const now = Date.now();
        const counts = new Map<string, { up: number; down: number }>();
        for (const service of await db.retry(listServices)) {
          const binary = service.binary ?? 'unknown';
          const entry = counts.get(binary) ?? { up: 0, down: 0 };
          if (isServiceUp(service, now, config.DEFAULT.service_down_time)) entry.up += 1;
          else entry.down += 1;
          counts.set(binary, entry);
        }
        for (const [binary, { up, down }] of counts) {
          this.set({ binary, state: 'up' }, up);
          this.set({ binary, state: 'down' }, down);
        }
      } catch (err) {
        onError(err);
      }
    },
  });

  return {
    registry,
    api: {
      requestFinished(method, route, status, seconds) {
        requests.observe({ method, route, status: String(status) }, seconds);
      },
    },
    engine: {
      actionStarted() {
        running.inc();
      },
      actionFinished(action, result, seconds) {
        running.dec();
        actions.observe({ action, result }, seconds);
      },
      nodeChecked(result) {
        checks.inc({ result });
      },
      recoveryRequested(outcome) {
        recoveries.inc({ outcome });
      },
    },
  };
}

/** A listening metrics endpoint. */
export interface MetricsServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Serves `GET /metrics` of the registry on host:port (0: any free port). */
export async function serveMetrics(
  registry: Registry,
  host: string,
  port: number,
  logger: Logger,
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end();
      return;
    }
    registry.metrics().then(
      (body) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (err: unknown) => {
        logger.error({ err }, 'metrics: collection failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shown}:${address.port}/metrics`;
  logger.info({ url }, 'metrics listening');
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
