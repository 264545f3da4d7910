/**
 * Support for the messaging tests: the RabbitMQ on 127.0.0.1:5672 (URL overridable by
 * SENLIN_TEST_RABBIT_URL), Python oslo.messaging peers (test/messaging/python/*.py, run by
 * SENLIN_TEST_PYTHON or /usr/bin/python3) and clean-up of what a test declared. Tests are
 * skipped when RabbitMQ is unreachable, unless SENLIN_TEST_REQUIRE_RABBIT=1 makes that a
 * failure. Every test uses its own exchange, topic and queue names, so nothing it does reaches
 * other users of the broker.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import pino from 'pino';

/** The broker the tests use. */
export const RABBIT_URL = process.env.SENLIN_TEST_RABBIT_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** The same broker as an oslo.messaging transport URL. */
export const TRANSPORT_URL = RABBIT_URL.replace(/^amqp:/, 'rabbit:').replace(/\/?$/, '/');
const REQUIRE = process.env.SENLIN_TEST_REQUIRE_RABBIT === '1';
const PYTHON = process.env.SENLIN_TEST_PYTHON ?? '/usr/bin/python3';
const SCRIPTS = join(dirname(fileURLToPath(import.meta.url)), 'python');

/** A name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** A host name no other test uses (host names take no underscores). */
export function uniqueHost(prefix: string): string {
  return uniqueName(prefix).replaceAll('_', '-');
}

/** Whether something listens on host:port. */
export function reachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Whether the suite runs: RabbitMQ reachable, or required (then its absence fails). */
export async function rabbitAvailable(): Promise<boolean> {
  const u = new URL(RABBIT_URL);
  const ok = await reachable(u.hostname, Number(u.port || 5672));
  if (!ok && REQUIRE) {
    throw new Error(`RabbitMQ at ${u.host} is unreachable and SENLIN_TEST_REQUIRE_RABBIT=1`);
  }
  return ok;
}

/**
 * Whether the Python peers can run: oslo.messaging importable by SENLIN_TEST_PYTHON. Its
 * absence skips the suites that need them, unless SENLIN_TEST_REQUIRE_RABBIT=1 (CI, where
 * .ci/messaging.sh installs python3-oslo.messaging) makes it a failure.
 */
export function pythonPeersAvailable(): boolean {
  const probe = spawnSync(PYTHON, ['-c', 'import oslo_messaging'], { stdio: 'ignore' });
  const ok = probe.status === 0;
  if (!ok && REQUIRE) {
    throw new Error(
      `${PYTHON} cannot import oslo_messaging (install python3-oslo.messaging) and SENLIN_TEST_REQUIRE_RABBIT=1`,
    );
  }
  return ok;
}

/** A quiet logger (SENLIN_TEST_LOG=debug shows it). */
export function testLogger() {
  return pino({ level: process.env.SENLIN_TEST_LOG ?? 'silent' });
}

/** A running Python peer and the JSON lines it printed. */
export interface PythonPeer {
  readonly lines: Record<string, unknown>[];
  /** Resolves with the first line (past or future) that matches. */
  waitFor(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Resolves with the exit code. */
  readonly exited: Promise<number>;
  kill(): void;
}

/** Starts `test/messaging/python/<script>` with `args`. */
export function runPython(script: string, args: string[]): PythonPeer {
  const child = spawn(PYTHON, [join(SCRIPTS, script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const text = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (text) lines.push(JSON.parse(text) as Record<string, unknown>);
    }
    for (const w of [...waiters]) w();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code) => {
      for (const w of [...waiters]) w();
      resolve(code ?? -1);
    });
  });
  return {
    lines,
    exited,
    kill: () => child.kill('SIGTERM'),
    waitFor(match, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(match);
          if (found) {
            finish();
            resolve(found);
          } else if (child.exitCode !== null) {
            finish();
            reject(new Error(`${script} exited with ${child.exitCode}: ${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`${script} printed nothing matching in ${timeoutMs} ms: ${stderr}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** Publishes one notification from Python (oslo.messaging Notifier); resolves when sent. */
export async function publishFromPython(options: {
  url?: string;
  exchange: string;
  topic: string;
  publisherId: string;
  eventType: string;
  payload: unknown;
  context?: Record<string, unknown>;
  priority?: string;
}): Promise<void> {
  const peer = runPython('publish.py', [
    `--url=${options.url ?? TRANSPORT_URL}`,
    `--exchange=${options.exchange}`,
    `--topic=${options.topic}`,
    `--publisher-id=${options.publisherId}`,
    `--event-type=${options.eventType}`,
    `--priority=${options.priority ?? 'info'}`,
    `--payload=${JSON.stringify(options.payload)}`,
    `--context=${JSON.stringify(options.context ?? {})}`,
  ]);
  await peer.waitFor((l) => 'sent' in l);
  await peer.exited;
}

/** The queues oslo.messaging declares for a topic (one per priority). */
export function topicQueues(topic: string): string[] {
  return ['audit', 'debug', 'info', 'warn', 'error', 'critical', 'sample'].map(
    (p) => `${topic}.${p}`,
  );
}

/** Deletes queues and exchanges a test declared (missing ones are fine). */
export async function cleanUpBroker(
  what: { queues?: string[]; exchanges?: string[] },
  url = RABBIT_URL,
): Promise<void> {
  const conn = await amqp.connect(url);
  try {
    for (const q of what.queues ?? []) {
      const ch = await conn.createChannel();
      await ch.deleteQueue(q).catch(() => undefined);
      await ch.close().catch(() => undefined);
    }
    for (const x of what.exchanges ?? []) {
      const ch = await conn.createChannel();
      await ch.deleteExchange(x).catch(() => undefined);
      await ch.close().catch(() => undefined);
    }
  } finally {
    await conn.close();
  }
}

/** Resolves when `predicate` holds, checking every 25 ms, or rejects after `timeoutMs`. */
export async function eventually(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
