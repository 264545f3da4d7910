import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadOptions } from '../../src/config/load.js';
import { ConfigError, defaultConfig, loadConfig } from '../../src/config/load.js';

const root = mkdtempSync(join(tmpdir(), 'senlin-config-load-'));
let counter = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

function freshDir(): string {
  counter += 1;
  const dir = join(root, `case-${counter}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function write(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function conf(text: string): string {
  return write(join(freshDir(), 'senlin.conf'), text);
}

function load(options: LoadOptions): ReturnType<typeof loadConfig> {
  return loadConfig({ searchDefaults: false, ...options });
}

describe('precedence between files', () => {
  it('lets a later file override an earlier one', () => {
    const first = conf('[senlin_api]\nbind_port = 9001\nbacklog = 10\n');
    const second = conf('[senlin_api]\nbind_port = 9002\n');
    const { config } = load({ configFiles: [first, second] });
    expect([config.senlin_api.bind_port, config.senlin_api.backlog]).toEqual([9002, 10]);
  });

  it('takes the last occurrence of an option repeated in one file', () => {
    const file = conf('[DEFAULT]\nbatch_interval = 1\nbatch_interval = 7\n');
    expect(load({ configFiles: [file] }).config.DEFAULT.batch_interval).toBe(7);
  });

  it('collects a multi-valued option from every file in order', () => {
    const first = conf('[DEFAULT]\nevent_dispatchers = database\n');
    const second = conf('[DEFAULT]\nevent_dispatchers = message\n');
    expect(load({ configFiles: [first, second] }).config.DEFAULT.event_dispatchers).toEqual([
      'database',
      'message',
    ]);
  });

  it('reads the *.conf files of a configuration directory by name after the files', () => {
    const dir = freshDir();
    write(join(dir, '20-late.conf'), '[DEFAULT]\nbatch_interval = 20\n');
    write(join(dir, '10-early.conf'), '[DEFAULT]\nbatch_interval = 10\nlock_retry_times = 5\n');
    write(join(dir, '99-ignored.txt'), '[DEFAULT]\nbatch_interval = 99\n');
    const file = conf(
      '[DEFAULT]\nbatch_interval = 1\nlock_retry_times = 1\nlock_retry_interval = 4\n',
    );
    const loaded = load({ configFiles: [file], configDirs: [dir] });
    expect(loaded.files).toEqual([file, join(dir, '10-early.conf'), join(dir, '20-late.conf')]);
    const d = loaded.config.DEFAULT;
    expect([d.batch_interval, d.lock_retry_times, d.lock_retry_interval]).toEqual([20, 5, 4]);
  });

  it('applies overrides over the files', () => {
    const file = conf('[senlin_api]\nbind_port = 9001\n');
    const loaded = load({ configFiles: [file], overrides: { senlin_api: { bind_port: 9100 } } });
    expect(loaded.config.senlin_api.bind_port).toBe(9100);
  });
});

describe('errors', () => {
  it('fails when a named file does not exist', () => {
    const missing = join(freshDir(), 'nope.conf');
    expect(() => load({ configFiles: [missing] })).toThrow(
      new ConfigError(`Configuration file not found: ${missing}`),
    );
  });

  it('fails when a named directory does not exist', () => {
    const missing = join(freshDir(), 'nope.d');
    expect(() => load({ configDirs: [missing] })).toThrow(/Configuration directory not found/);
  });

  it('reports a syntax error with file and line', () => {
    const file = conf('[DEFAULT]\ndebug = true\nnonsense\n');
    expect(() => load({ configFiles: [file] })).toThrow(`Syntax error in ${file}:3`);
  });

  it('rejects an override of an invalid value', () => {
    expect(() => defaultConfig({ senlin_api: { bind_port: 70000 } })).toThrow(
      /Invalid override for \[senlin_api\] bind_port/,
    );
  });
});

describe('unknown and deprecated options', () => {
  it('warns about an unknown option with its place and ignores it', () => {
    const file = conf('[DEFAULT]\ndebug = true\n\n[oslo_concurrency]\nlock_path = /tmp/x\n');
    expect(load({ configFiles: [file] }).warnings).toEqual([
      `Unknown option [oslo_concurrency] lock_path in ${file}:5 ignored`,
    ]);
  });

  it('warns about an unknown option of a known group', () => {
    const file = conf('[keystone_authtoken]\nmemcache_pool_maxsize = 10\n');
    expect(load({ configFiles: [file] }).warnings).toEqual([
      `Unknown option [keystone_authtoken] memcache_pool_maxsize in ${file}:2 ignored`,
    ]);
  });

  it('matches group names in any case except DEFAULT', () => {
    const file = conf('[SENLIN_API]\nbind_port = 9003\n');
    const loaded = load({ configFiles: [file] });
    expect([loaded.config.senlin_api.bind_port, loaded.warnings]).toEqual([9003, []]);
  });

  it('does not take a lower-case [default] section for [DEFAULT]', () => {
    const file = conf('[default]\ndebug = true\n');
    const loaded = load({ configFiles: [file] });
    expect(loaded.config.DEFAULT.debug).toBe(false);
    expect(loaded.warnings).toEqual([`Unknown option [default] debug in ${file}:2 ignored`]);
  });

  it('reads a deprecated name into the current option with a warning', () => {
    const file = conf('[DEFAULT]\nnum_engine_workers = 4\n');
    const loaded = load({ configFiles: [file] });
    expect(loaded.config.engine.workers).toBe(4);
    expect(loaded.warnings).toEqual([
      `Deprecated option [DEFAULT] num_engine_workers in ${file}:2: use [engine] workers instead`,
    ]);
  });

  it('reads an option of a deprecated group', () => {
    const file = conf('[webhook]\nhost = hooks.example.org\n');
    expect(load({ configFiles: [file] }).config.receiver.host).toBe('hooks.example.org');
  });

  it('prefers the current name over a deprecated one in the same file', () => {
    const file = conf('[engine]\nthreads = 8\n[DEFAULT]\nscheduler_thread_pool_size = 99\n');
    expect(load({ configFiles: [file] }).config.engine.threads).toBe(8);
  });

  it('names the deprecated name in the error for its invalid value', () => {
    const file = conf('[DEFAULT]\nnum_engine_workers = many\n');
    expect(() => load({ configFiles: [file] })).toThrow(
      "Invalid value for [engine] workers (set as [DEFAULT] num_engine_workers): 'many' is not an integer",
    );
  });
});

describe('default locations and embedded mode', () => {
  it('runs embedded with loopback API, no authentication and the fake cloud when nothing is found', () => {
    const home = freshDir();
    const loaded = loadConfig({
      searchDirs: [join(home, '.senlin'), home],
      env: { HOME: home, SENLIN_TS_DATA_DIR: join(home, 'state') },
    });
    expect(loaded.embedded).toBe(true);
    expect(loaded.files).toEqual([]);
    expect(loaded.configDir).toBeNull();
    const { DEFAULT, senlin_api } = loaded.config;
    expect([senlin_api.bind_host, senlin_api.bind_port]).toEqual(['127.0.0.1', 8777]);
    expect([DEFAULT.auth_strategy, DEFAULT.cloud_backend]).toEqual(['noauth', 'openstack_test']);
    expect(DEFAULT.data_dir).toBe(join(home, 'state'));
  });

  it('lets overrides change embedded values', () => {
    const home = freshDir();
    const loaded = loadConfig({
      searchDirs: [home],
      env: { HOME: home },
      overrides: { senlin_api: { bind_port: 18777 } },
    });
    expect([loaded.embedded, loaded.config.senlin_api.bind_port]).toEqual([true, 18777]);
  });

  it('reads the first senlin.conf of the search directories', () => {
    const home = freshDir();
    const etc = freshDir();
    write(join(home, '.senlin', 'senlin.conf'), '[DEFAULT]\nbatch_interval = 11\n');
    write(join(etc, 'senlin.conf'), '[DEFAULT]\nbatch_interval = 22\n');
    const loaded = loadConfig({
      searchDirs: [join(home, '.senlin'), home, etc],
      env: { HOME: home },
    });
    expect(loaded.files).toEqual([join(home, '.senlin', 'senlin.conf')]);
    expect(loaded.config.DEFAULT.batch_interval).toBe(11);
  });

  it('reads senlin.conf.d of a search directory after the found file', () => {
    const etc = freshDir();
    write(join(etc, 'senlin.conf'), '[DEFAULT]\nbatch_interval = 1\n');
    write(join(etc, 'senlin.conf.d', 'extra.conf'), '[DEFAULT]\nbatch_interval = 2\n');
    const loaded = loadConfig({ searchDirs: [etc], env: { HOME: freshDir() } });
    expect(loaded.config.DEFAULT.batch_interval).toBe(2);
  });

  it('uses upstream defaults as soon as a file is read', () => {
    const loaded = load({ configFiles: [conf('[DEFAULT]\ndebug = true\n')] });
    const { DEFAULT, senlin_api } = loaded.config;
    expect(loaded.embedded).toBe(false);
    expect([DEFAULT.auth_strategy, DEFAULT.cloud_backend, senlin_api.bind_host]).toEqual([
      'keystone',
      'openstack',
      '0.0.0.0',
    ]);
  });

  it('is not embedded when a named directory holds no files', () => {
    const dir = freshDir();
    const loaded = load({ configDirs: [dir] });
    expect([loaded.embedded, loaded.configDir]).toEqual([false, dir]);
  });

  it('reports the directory of the first file as the configuration directory', () => {
    const file = conf('[DEFAULT]\n');
    expect(load({ configFiles: [file, conf('[DEFAULT]\n')] }).configDir).toBe(dirname(file));
  });
});

describe('the loaded configuration', () => {
  it('is deeply frozen', () => {
    const { config } = load({ configFiles: [conf('[DEFAULT]\nevent_dispatchers = message\n')] });
    expect(Reflect.set(config.DEFAULT, 'debug', true)).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.DEFAULT.event_dispatchers)).toBe(true);
  });

  it('holds every option of the registry with its default when unset', () => {
    const config = defaultConfig();
    expect(config.DEFAULT.max_nodes_per_cluster).toBe(1000);
    expect(config.oslo_policy.policy_file).toBe('policy.yaml');
    expect(Object.isFrozen(config.cors.allow_methods)).toBe(true);
  });

  it('does not share default lists between configurations', () => {
    const a = defaultConfig();
    const b = defaultConfig({ cors: { allow_methods: ['GET'] } });
    expect([a.cors.allow_methods.length, b.cors.allow_methods]).toEqual([5, ['GET']]);
  });
});
