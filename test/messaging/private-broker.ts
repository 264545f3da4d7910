/**
 * A RabbitMQ node of the test's own, so that a test can stop and restart a broker without
 * touching the machine's shared one: its own node name, free AMQP and distribution ports on
 * 127.0.0.1, and its own data, log and cookie directory (kept across restarts, removed at
 * the end). Needs Debian's rabbitmq-server package.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reachable, uniqueName } from './support.js';

const SERVER = process.env.SENLIN_TEST_RABBITMQ_SERVER ?? '/usr/lib/rabbitmq/bin/rabbitmq-server';

/** Whether a private broker can be started here. */
export function privateBrokerAvailable(): boolean {
  return existsSync(SERVER);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntil(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A private RabbitMQ node. */
export class PrivateBroker {
  readonly port: number;
  readonly #dir: string;
  readonly #env: NodeJS.ProcessEnv;
  #child: ChildProcess | null = null;
  #output = '';

  private constructor(port: number, distPort: number) {
    this.port = port;
    this.#dir = mkdtempSync(join(tmpdir(), 'senlin-rabbit-'));
    writeFileSync(join(this.#dir, 'enabled_plugins'), '[].\n');
    this.#env = {
      PATH: process.env.PATH,
      HOME: this.#dir,
      RABBITMQ_NODENAME: `${uniqueName('senlin-test').replaceAll('_', '-')}@localhost`,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_CONF_ENV_FILE: join(this.#dir, 'rabbitmq-env.conf'),
      RABBITMQ_CONFIG_FILE: join(this.#dir, 'rabbitmq'),
      RABBITMQ_ADVANCED_CONFIG_FILE: join(this.#dir, 'advanced.config'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(this.#dir, 'enabled_plugins'),
      RABBITMQ_MNESIA_BASE: join(this.#dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(this.#dir, 'log'),
      RABBITMQ_PID_FILE: join(this.#dir, 'rabbitmq.pid'),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      ERL_FLAGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    };
  }

  /** Starts a new node and waits until it accepts connections. */
  static async start(): Promise<PrivateBroker> {
    const broker = new PrivateBroker(await freePort(), await freePort());
    await broker.resume();
    return broker;
  }

  /** `amqp://` URL of the node. */
  get amqpUrl(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }

  /** oslo.messaging transport URL of the node. */
  get transportUrl(): string {
    return `rabbit://guest:guest@127.0.0.1:${this.port}/`;
  }

  /** Starts the (stopped) node again with its data. */
  async resume(): Promise<void> {
    if (this.#child) return;
    const child = spawn(SERVER, [], { env: this.#env, cwd: this.#dir, detached: true });
    child.stdout?.on('data', (d: Buffer) => this.#keep(d));
    child.stderr?.on('data', (d: Buffer) => this.#keep(d));
    this.#child = child;
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`rabbitmq-server exited: ${this.#output}`);
        return reachable('127.0.0.1', this.port, 500);
      },
      60_000,
      'the private RabbitMQ did not start',
    );
  }

  /** Stops the node (as a broker restart or outage does) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = null;
    if (child.exitCode === null && child.pid !== undefined) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    await waitUntil(
      async () => !(await reachable('127.0.0.1', this.port, 500)),
      30_000,
      'the private RabbitMQ did not stop',
    );
  }

  /** Stops the node and removes its files. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #keep(chunk: Buffer): void {
    this.#output = (this.#output + chunk.toString('utf8')).slice(-4000);
  }
}
