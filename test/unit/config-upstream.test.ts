import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

const fixture = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'upstream-senlin.conf',
);

function load(): ReturnType<typeof loadConfig> {
  return loadConfig({ configFiles: [fixture], searchDefaults: false });
}

describe('an upstream senlin.conf', () => {
  it('loads with warnings only for the options senlin-ts does not know', () => {
    const unknown = load().warnings.map((w) => {
      const match = /^Unknown option (\[\w+\] \w+) in .*:\d+ ignored$/.exec(w);
      return match?.[1] ?? `unexpected warning: ${w}`;
    });
    expect(unknown).toEqual([
      '[DEFAULT] logging_exception_prefix',
      '[DEFAULT] logging_context_format_string',
      '[DEFAULT] use_syslog',
      '[keystone_authtoken] memcache_use_advanced_pool',
      '[oslo_concurrency] lock_path',
      '[profiler] enabled',
      '[profiler] trace_sqlalchemy',
    ]);
  });

  it('reads the database, messaging and API settings', () => {
    const { config } = load();
    expect(config.database.connection).toBe(
      'mysql+pymysql://senlin:dbpass@192.0.2.10/senlin?charset=utf8',
    );
    expect(config.DEFAULT.transport_url).toBe('rabbit://stackrabbit:secretrabbit@192.0.2.10:5672/');
    expect(config.DEFAULT.event_dispatchers).toEqual(['database', 'message']);
    expect(config.oslo_messaging_notifications.driver).toEqual(['messagingv2']);
    expect([config.senlin_api.bind_host, config.senlin_api.workers]).toEqual(['192.0.2.10', 2]);
  });

  it('reads the keystone settings, memcached servers included', () => {
    const { keystone_authtoken: ks, authentication } = load().config;
    expect(ks.memcached_servers).toEqual(['192.0.2.10:11211']);
    expect([ks.auth_type, ks.username, ks.service_token_roles_required]).toEqual([
      'password',
      'senlin',
      true,
    ]);
    expect([authentication.auth_url, authentication.verify_ssl]).toEqual([
      'http://192.0.2.10/identity/v3',
      false,
    ]);
  });

  it('keeps upstream defaults for what the file does not set', () => {
    const loaded = load();
    expect(loaded.embedded).toBe(false);
    expect([loaded.config.DEFAULT.auth_strategy, loaded.config.DEFAULT.cloud_backend]).toEqual([
      'keystone',
      'openstack',
    ]);
  });
});
