import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const TSX = import.meta.resolve('tsx');
const dir = mkdtempSync(join(tmpdir(), 'senlin-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function env(): NodeJS.ProcessEnv {
  return { ...process.env, HOME: dir, SENLIN_TS_DATA_DIR: join(dir, 'data') };
}

function cli(args: string[]) {
  const res = spawnSync(
    process.execPath,
    ['--import', TSX, join(ROOT, 'src/cmd/cli.ts'), ...args],
    {
      cwd: dir,
      env: env(),
      encoding: 'utf8',
    },
  );
  return { code: res.status, out: res.stdout, err: res.stderr };
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function writeConf(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('senlin-ts manage', () => {
  const dbFile = join(dir, 'manage.sqlite');
  const conf = writeConf('manage.conf', `[database]\nconnection = sqlite:///${dbFile}\n`);

  it('creates the schema with db_sync and does nothing the second time', () => {
    const first = cli(['manage', '--config-file', conf, 'db_sync']);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('Applied 001_upstream_schema');
    const second = cli(['manage', '--config-file', conf, 'db-sync']);
    expect(second.code).toBe(0);
    expect(second.out.trim()).toBe('The database schema is up to date.');
    const tables = new Database(dbFile)
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'senlin_ts%' and name not like 'sqlite%'",
      )
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toHaveLength(14);
  });

  it('prints the schema version', () => {
    const res = cli(['--config-file', conf, 'manage', 'db_version']);
    expect(res.code).toBe(0);
    expect(res.out.trim()).toBe('003_pool_claims');
  });

  it('lists services and refuses unknown commands', () => {
    expect(cli(['manage', '--config-file', conf, 'service', 'list']).code).toBe(0);
    const bad = cli(['manage', '--config-file', conf, 'bogus']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("unknown command 'bogus'");
  });

  it('stops at a bad option value naming section, option and value', () => {
    const badConf = writeConf('bad.conf', '[senlin_api]\nbind_port = abc\n');
    const res = cli(['manage', '--config-file', badConf, 'db_version']);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/^ERROR: .*\[senlin_api\] bind_port.*'abc'/m);
  });
});

describe('senlin-ts serve', () => {
  it('serves the API and the metrics on the configured ports, registers its services and removes them on SIGTERM', async () => {
    const dbFile = join(dir, 'serve.sqlite');
    const metricsPort = await freePort();
    const conf = writeConf(
      'serve.conf',
      `[DEFAULT]\nauth_strategy = noauth\ncloud_backend = openstack_test\n[senlin_api]\nbind_host = 127.0.0.1\nbind_port = 0\n[metrics]\nbind_port = ${metricsPort}\n[database]\nconnection = sqlite:///${dbFile}\n`,
    );
    const child = spawn(
      process.execPath,
      ['--import', TSX, join(ROOT, 'src/cmd/cli.ts'), 'serve', '--config-file', conf],
      {
        cwd: dir,
        env: env(),
      },
    );
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listen line in ${log}`)), 20_000);
      child.stdout.on('data', () => {
        const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)".*"msg":"API listening"/.exec(log);
        if (m?.[1] && log.includes('senlin-health-manager')) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    const res = await fetch(`${url}/v1/services`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { services: { binary: string; state: string }[] };
    expect(body.services.map((s) => s.binary).sort()).toEqual([
      'senlin-conductor',
      'senlin-engine',
      'senlin-health-manager',
    ]);
    expect(body.services.every((s) => s.state === 'up')).toBe(true);
    const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(text).toContain('senlin_services{binary="senlin-engine",state="up"} 1');
    expect(text).toMatch(
      /senlin_api_request_duration_seconds_count\{method="GET",route="\/v1\/services",status="200"\} 1/,
    );
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    const left = new Database(dbFile).prepare('select count(*) as n from service').get() as {
      n: number;
    };
    expect(left.n).toBe(0);
  });
});
