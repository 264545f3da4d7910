import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../../src/config/load.js';
import { ConfigError, loadConfig } from '../../src/config/load.js';

const root = mkdtempSync(join(tmpdir(), 'senlin-config-values-'));
let counter = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeConf(text: string): string {
  counter += 1;
  const path = join(root, `senlin-${counter}.conf`);
  writeFileSync(path, text);
  return path;
}

function load(text: string): LoadedConfig {
  return loadConfig({ configFiles: [writeConf(text)], searchDefaults: false });
}

function loadError(text: string): string {
  try {
    load(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('boolean options', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['yes', true],
    ['On', true],
    ['1', true],
    ['false', false],
    ['No', false],
    ['off', false],
    ['0', false],
  ])('read %s as %s', (text, expected) => {
    expect(load(`[DEFAULT]\ndebug = ${text}\n`).config.DEFAULT.debug).toBe(expected);
  });

  it('reject other words, naming section, option and value', () => {
    expect(loadError('[DEFAULT]\ndebug = maybe\n')).toMatch(
      /^Invalid value for \[DEFAULT\] debug: 'maybe' is not a boolean/,
    );
  });
});

describe('integer options', () => {
  it('read signed integers', () => {
    expect(load('[senlin_api]\nbacklog = +128\n').config.senlin_api.backlog).toBe(128);
  });

  it('report a non-integer with section, option, value and place', () => {
    const path = writeConf('[senlin_api]\nbind_port = abc\n');
    expect(() => loadConfig({ configFiles: [path], searchDefaults: false })).toThrow(
      `Invalid value for [senlin_api] bind_port: 'abc' is not an integer (in ${path}:2)`,
    );
  });

  it('reject a decimal number', () => {
    expect(loadError('[DEFAULT]\nperiodic_interval = 1.5\n')).toContain("'1.5' is not an integer");
  });

  it('reject values below the minimum', () => {
    expect(loadError('[DEFAULT]\nperiodic_interval = 0\n')).toContain(
      "[DEFAULT] periodic_interval: '0' is less than the minimum 1",
    );
  });

  it('reject values above the maximum', () => {
    expect(loadError('[database]\nconnection_debug = 101\n')).toContain(
      "'101' is greater than the maximum 100",
    );
  });

  it('read an empty value as unset when the option has no default', () => {
    expect(load('[authentication]\ntimeout =\n').config.authentication.timeout).toBeNull();
  });

  it('ignore an empty value with a warning when the option has a default', () => {
    const loaded = load('[DEFAULT]\nperiodic_interval =\n');
    expect(loaded.config.DEFAULT.periodic_interval).toBe(60);
    expect(loaded.warnings).toEqual([
      expect.stringMatching(/^Empty value for \[DEFAULT\] periodic_interval/),
    ]);
  });
});

describe('float options', () => {
  it('read decimal and exponent notation', () => {
    const config = load(
      '[DEFAULT]\ndatabase_retry_interval = 1e-1\ndatabase_max_retry_interval = 2.5\n',
    ).config;
    expect([
      config.DEFAULT.database_retry_interval,
      config.DEFAULT.database_max_retry_interval,
    ]).toEqual([0.1, 2.5]);
  });

  it('reject text that is not a number', () => {
    expect(loadError('[DEFAULT]\ndatabase_retry_interval = fast\n')).toContain(
      "[DEFAULT] database_retry_interval: 'fast' is not a number",
    );
  });
});

describe('port options', () => {
  it('read a port number', () => {
    expect(load('[receiver]\nport = 9090\n').config.receiver.port).toBe(9090);
  });

  it('reject numbers above 65535', () => {
    expect(loadError('[senlin_api]\nbind_port = 70000\n')).toContain(
      "[senlin_api] bind_port: '70000' is greater than the maximum 65535",
    );
  });
});

describe('IP address options', () => {
  it('read IPv6 literals', () => {
    expect(load('[senlin_api]\nbind_host = ::1\n').config.senlin_api.bind_host).toBe('::1');
  });

  it('reject host names', () => {
    expect(loadError('[senlin_api]\nbind_host = localhost\n')).toContain(
      "[senlin_api] bind_host: 'localhost' is not an IPv4 or IPv6 address",
    );
  });

  it('reject out-of-range octets', () => {
    expect(loadError('[senlin_api]\nbind_host = 10.0.0.256\n')).toContain("'10.0.0.256'");
  });
});

describe('host address options', () => {
  it('read a fully qualified name without its trailing dot', () => {
    expect(load('[DEFAULT]\nhost = node-1.example.org.\n').config.DEFAULT.host).toBe(
      'node-1.example.org',
    );
  });

  it('read an IP address', () => {
    expect(load('[DEFAULT]\nhost = 192.0.2.7\n').config.DEFAULT.host).toBe('192.0.2.7');
  });

  it('reject names with characters outside letters, digits and hyphens', () => {
    expect(loadError('[DEFAULT]\nhost = node_1\n')).toContain(
      "[DEFAULT] host: 'node_1' is not a valid host name or address",
    );
  });

  it('reject labels that start with a hyphen', () => {
    expect(loadError('[DEFAULT]\nhost = -node\n')).toContain("'-node'");
  });
});

describe('URI options', () => {
  it('read a transport URL with several hosts', () => {
    const url = 'rabbit://u:p@h1:5672,u:p@h2:5672/';
    expect(load(`[DEFAULT]\ntransport_url = ${url}\n`).config.DEFAULT.transport_url).toBe(url);
  });

  it('reject text without a scheme and do not show the secret value', () => {
    const message = loadError('[DEFAULT]\ntransport_url = hunter2\n');
    expect(message).toContain('[DEFAULT] transport_url: the value is not a URI');
    expect(message).not.toContain('hunter2');
  });
});

describe('list options', () => {
  it('split at commas, trim items and drop trailing commas', () => {
    expect(
      load('[cors]\nallowed_origin = a.example , b.example,\n').config.cors.allowed_origin,
    ).toEqual(['a.example', 'b.example']);
  });

  it('read an empty value as an empty list', () => {
    expect(load('[cors]\nallow_methods =\n').config.cors.allow_methods).toEqual([]);
  });
});

describe('multi-valued options', () => {
  it('collect every occurrence in order', () => {
    const text = '[DEFAULT]\nevent_dispatchers = message\nevent_dispatchers = database\n';
    expect(load(text).config.DEFAULT.event_dispatchers).toEqual(['message', 'database']);
  });

  it('read a lone empty occurrence as an empty list', () => {
    const text = '[oslo_policy]\npolicy_dirs =\n';
    expect(load(text).config.oslo_policy.policy_dirs).toEqual([]);
  });
});

describe('string options', () => {
  it('keep text as written, including percent formats', () => {
    const text = '[revision]\nsenlin_api_revision = %(x)s 1.2\n';
    expect(load(text).config.revision.senlin_api_revision).toBe('%(x)s 1.2');
  });

  it('enforce their allowed values', () => {
    expect(loadError('[DEFAULT]\nauth_strategy = basic\n')).toContain(
      "[DEFAULT] auth_strategy: 'basic' is not one of: keystone, noauth",
    );
  });

  it('keep multi-line values from continuation lines', () => {
    const text = '[revision]\nsenlin_api_revision = one\n  two\n';
    expect(load(text).config.revision.senlin_api_revision).toBe('one\ntwo');
  });
});

describe('variable substitution', () => {
  it('replaces $name with an option of [DEFAULT]', () => {
    const text = '[DEFAULT]\nhost = node-1\nlog_dir = /var/log/$host\n';
    expect(load(text).config.DEFAULT.log_dir).toBe('/var/log/node-1');
  });

  it('replaces a braced group.name reference with an option of another group', () => {
    const reference = '$' + '{senlin_api.bind_host}';
    const text = `[senlin_api]\nbind_host = 192.0.2.1\n[receiver]\nhost = ${reference}\n`;
    expect(load(text).config.receiver.host).toBe('192.0.2.1');
  });

  it('reads $$ as a literal dollar sign', () => {
    const text = '[database]\nconnection = mysql://senlin:pa$$word@db/senlin\n';
    expect(load(text).config.database.connection).toBe('mysql://senlin:pa$word@db/senlin');
  });

  it('uses the text of options it does not know when the file sets them', () => {
    const text = '[DEFAULT]\nstate_path = /var/lib/senlin\nlog_dir = $state_path/log\n';
    expect(load(text).config.DEFAULT.log_dir).toBe('/var/lib/senlin/log');
  });

  it('rejects a reference to an option that does not exist', () => {
    expect(loadError('[DEFAULT]\nlog_dir = /x/$nowhere\n')).toContain(
      "[DEFAULT] log_dir: '$nowhere' refers to an unknown option nowhere",
    );
  });

  it('rejects an option that refers to itself', () => {
    expect(loadError('[DEFAULT]\nlog_dir = $log_dir/x\n')).toContain('refer to itself');
  });
});

describe('options kept only for compatibility', () => {
  it('turn an invalid value into a warning instead of an error', () => {
    const loaded = load('[keystone_authtoken]\ndelay_auth_decision = sometimes\n');
    expect(loaded.config.keystone_authtoken.delay_auth_decision).toBe(false);
    expect(loaded.warnings).toEqual([
      expect.stringContaining("[keystone_authtoken] delay_auth_decision: 'sometimes'"),
    ]);
  });
});
