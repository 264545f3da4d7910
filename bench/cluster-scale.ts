/**
 * Cluster scale benchmark: starts `senlin-ts serve` on the fake cloud (no simulated wait),
 * creates one cluster of N nodes through the API, and reports seconds until the cluster is
 * ACTIVE, the latency of `GET /v1/nodes?limit=1000`, seconds until the deleted cluster is gone,
 * and the peak RSS of the service process.
 *
 *   npx tsx bench/cluster-scale.ts [--nodes 100,1000,10000] [--db sqlite,postgresql]
 *
 * PostgreSQL runs need a server on 127.0.0.1:5432 reachable as postgres (override with
 * BENCH_PG_URL, the URL of an administrative database).
 */

import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

interface Row {
  db: string;
  nodes: number;
  activeSeconds: number;
  nodeListMs: number;
  deleteSeconds: number;
  peakRssMiB: number;
}

const ROOT = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
function option(name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
}
const SIZES = option('nodes', '100,1000,10000').split(',').map(Number);
const DBS = option('db', 'sqlite,postgresql').split(',');
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function prepareDatabase(
  kind: string,
  dir: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (kind === 'sqlite')
    return { url: `sqlite:///${join(dir, 'bench.sqlite')}`, drop: async () => {} };
  const name = `senlin_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

function startService(conf: string, dir: string): Promise<{ child: ChildProcess; url: string }> {
  const cli = join(ROOT, 'src/cmd/cli.ts');
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), cli, 'serve', '--config-file', conf],
    {
      cwd: dir,
      env: { ...process.env, HOME: dir },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${log}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)".*"msg":"API listening"/.exec(log);
      if (m?.[1] && /engine started/.test(log)) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`service exited (${code}):\n${log}`)));
  });
}

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; data: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'openstack-api-version': 'clustering 1.14' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, data: text ? JSON.parse(text) : null };
}

function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A busy service may drop a polling connection; that is not the end of the run.
    const done = await check().catch((err: Error) => {
      if (/ERROR/.test(err.message)) throw err;
      return false;
    });
    if (done) return;
    if (Date.now() > deadline) throw new Error('timed out');
    // Polls cost the service too (a cluster shows every node id): keep them rare.
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function runOne(kind: string, nodes: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'senlin-bench-'));
  const db = await prepareDatabase(kind, dir);
  const conf = join(dir, 'senlin.conf');
  writeFileSync(
    conf,
    [
      '[DEFAULT]',
      'auth_strategy = noauth',
      'cloud_backend = openstack_test',
      `max_nodes_per_cluster = ${Math.max(nodes, 1000)}`,
      '[senlin_api]',
      'bind_host = 127.0.0.1',
      'bind_port = 0',
      '[database]',
      `connection = ${db.url}`,
      `max_pool_size = 10`,
    ].join('\n'),
  );
  if (kind !== 'sqlite') {
    const sync = spawn(
      process.execPath,
      [
        '--import',
        import.meta.resolve('tsx'),
        join(ROOT, 'src/cmd/cli.ts'),
        'manage',
        '--config-file',
        conf,
        'db_sync',
      ],
      { stdio: 'inherit' },
    );
    await new Promise((r) => sync.on('exit', r));
  }
  const { child, url } = await startService(conf, dir);
  try {
    const profile = await call(url, 'POST', '/v1/profiles', {
      profile: {
        name: 'bench',
        spec: {
          type: 'os.nova.server',
          version: '1.0',
          properties: { flavor: 'm1.tiny', image: 'cirros', networks: [{ network: 'private' }] },
        },
      },
    });
    const started = performance.now();
    const created = await call(url, 'POST', '/v1/clusters', {
      cluster: {
        name: 'bench',
        profile_id: profile.data.profile.id,
        desired_capacity: nodes,
        max_size: -1,
      },
    });
    if (created.status !== 202) throw new Error(`cluster create: ${JSON.stringify(created.data)}`);
    const id = created.data.cluster.id as string;
    await waitFor(async () => {
      const c = await call(url, 'GET', `/v1/clusters/${id}`);
      if (c.data.cluster.status === 'ERROR')
        throw new Error(`ERROR ${c.data.cluster.status_reason}`);
      return c.data.cluster.status === 'ACTIVE';
    }, 600_000);
    const activeSeconds = (performance.now() - started) / 1000;
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const list = await call(url, 'GET', '/v1/nodes?limit=1000');
      samples.push(performance.now() - t);
      if (list.status !== 200) throw new Error('node list failed');
    }
    samples.sort((a, b) => a - b);
    const deleting = performance.now();
    await call(url, 'DELETE', `/v1/clusters/${id}`);
    await waitFor(
      async () => (await call(url, 'GET', `/v1/clusters/${id}`)).status === 404,
      600_000,
    );
    const deleteSeconds = (performance.now() - deleting) / 1000;
    return {
      db: kind,
      nodes,
      activeSeconds: Number(activeSeconds.toFixed(2)),
      nodeListMs: Number((samples[2] ?? 0).toFixed(1)),
      deleteSeconds: Number(deleteSeconds.toFixed(2)),
      peakRssMiB: child.pid ? peakRss(child.pid) : 0,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
for (const kind of DBS) {
  for (const nodes of SIZES) {
    const row = await runOne(kind, nodes);
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
console.log(
  '\n| db | nodes | s to ACTIVE | GET /v1/nodes?limit=1000 (ms, median) | s to delete | peak RSS (MiB) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.db} | ${r.nodes} | ${r.activeSeconds} | ${r.nodeListMs} | ${r.deleteSeconds} | ${r.peakRssMiB} |`,
  );
}
