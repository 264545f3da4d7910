/**
 * Loading senlin.conf: find the files, parse them, convert every option of the registry and
 * return one deeply frozen configuration. Without any file the "embedded" mode applies: a
 * local, single-process setup (loopback API without authentication, fake cloud, SQLite in the
 * data directory) that runs with no other service.
 */
import { dirname } from 'node:path';
import { ConfigError } from './config-error.js';
import type { Environment } from './environment.js';
import { defaultDataDir, defaultSearchDirs, processEnvironment } from './environment.js';
import type { OptionDef } from './option.js';
import type { Config } from './options.js';
import { OPTIONS } from './options.js';
import { EMPTY_NUMBER, parseValue, ValueParseError } from './parse-value.js';
import type { RawConfig } from './resolve.js';
import { Resolver } from './resolve.js';
import { planSources, readSource } from './sources.js';

export { ConfigError } from './config-error.js';

/** Values set by code, on top of what the files say (same shape as `Config`, all optional). */
export type ConfigOverrides = {
  [G in keyof Config]?: { [N in keyof Config[G]]?: Config[G][N] };
};

/** Where to read the configuration from. */
export interface LoadOptions {
  /** Files read in order (`--config-file`); later files override earlier ones. */
  configFiles?: readonly string[];
  /** Directories whose `*.conf` files are read, sorted by name, after the files. */
  configDirs?: readonly string[];
  /** Values applied last, over files and embedded defaults. */
  overrides?: ConfigOverrides;
  /** Search the default locations for what was not named (default true). */
  searchDefaults?: boolean;
  /** Directories searched for `senlin.conf` and `senlin.conf.d` (default `defaultSearchDirs()`). */
  searchDirs?: readonly string[];
  /** Environment to use instead of the process environment. */
  env?: Environment;
}

/** The outcome of `loadConfig`. */
export interface LoadedConfig {
  /** Every option, converted and deeply frozen. */
  config: Config;
  /** Files that were read, in order. */
  files: string[];
  /** Directory of the first file read (the base of relative paths such as `policy_file`). */
  configDir: string | null;
  /** Unknown options, deprecated names and ignored values, one sentence each. */
  warnings: string[];
  /** True when no configuration file was named or found: the embedded defaults apply. */
  embedded: boolean;
}

/** The overrides of embedded mode, applied on top of the registry defaults. */
export function embeddedOverrides(env: Environment = processEnvironment()): ConfigOverrides {
  return {
    DEFAULT: {
      auth_strategy: 'noauth',
      cloud_backend: 'openstack_test',
      data_dir: defaultDataDir(env),
    },
    senlin_api: { bind_host: '127.0.0.1', bind_port: 8777 },
  };
}

function registryDefaults(): RawConfig {
  const config: RawConfig = {};
  for (const [group, options] of Object.entries(OPTIONS)) {
    const values: Record<string, unknown> = {};
    for (const [name, def] of Object.entries(options)) {
      const value: unknown = def.default;
      values[name] = Array.isArray(value) ? [...value] : value;
    }
    config[group] = values;
  }
  return config;
}

function overrideValue(def: OptionDef<unknown>, value: unknown): unknown {
  if (value === null) {
    if (def.default !== null) throw new ValueParseError('null', 'is not allowed for this option');
    return null;
  }
  if (def.kind === 'list' || def.kind === 'multistr') {
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      throw new ValueParseError(JSON.stringify(value), 'is not a list of strings');
    }
    for (const item of value) parseValue({ ...def, kind: 'str' }, item);
    return [...value];
  }
  const expected = { int: 'number', port: 'number', float: 'number', bool: 'boolean' } as const;
  const type = expected[def.kind as keyof typeof expected] ?? 'string';
  if (typeof value !== type) throw new ValueParseError(JSON.stringify(value), `is not a ${type}`);
  const parsed = parseValue(def, String(value));
  return parsed === EMPTY_NUMBER ? def.default : parsed;
}

function applyOverrides(config: RawConfig, overrides: ConfigOverrides): void {
  for (const [group, options] of Object.entries(overrides)) {
    const defs: Readonly<Record<string, OptionDef<unknown>>> | undefined =
      OPTIONS[group as keyof typeof OPTIONS];
    const values = config[group];
    if (defs === undefined || values === undefined) {
      throw new ConfigError(`Override for unknown group [${group}]`);
    }
    for (const [name, value] of Object.entries(options ?? {})) {
      const def = defs[name];
      if (def === undefined)
        throw new ConfigError(`Override for unknown option [${group}] ${name}`);
      if (value === undefined) continue;
      try {
        values[name] = overrideValue(def, value);
      } catch (error) {
        if (!(error instanceof ValueParseError)) throw error;
        throw new ConfigError(`Invalid override for [${group}] ${name}: ${error.message}`);
      }
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function finish(config: RawConfig, overrides: readonly ConfigOverrides[]): Config {
  for (const layer of overrides) applyOverrides(config, layer);
  return deepFreeze(config) as unknown as Config;
}

/** Registry defaults with `overrides` applied, deeply frozen (no file is read). */
export function defaultConfig(overrides: ConfigOverrides = {}): Config {
  return finish(registryDefaults(), [overrides]);
}

/**
 * Loads the configuration like oslo.config: named files in order, then the `*.conf` files of
 * the named directories sorted by name; what is not named is searched in the default
 * locations. Throws `ConfigError` for missing named files or directories, syntax errors and
 * invalid values; unknown options only produce warnings.
 */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? processEnvironment();
  const plan = planSources({
    configFiles: options.configFiles ?? [],
    configDirs: options.configDirs ?? [],
    searchDefaults: options.searchDefaults ?? true,
    searchDirs: options.searchDirs ?? defaultSearchDirs(env),
    env,
  });
  const sources = plan.files.map(readSource);
  const warnings: string[] = [];
  const embedded = sources.length === 0 && !plan.explicit;
  const overrides = options.overrides ?? {};
  let config: Config;
  if (embedded) {
    config = finish(registryDefaults(), [embeddedOverrides(env), overrides]);
  } else {
    const resolver = new Resolver(OPTIONS, sources, warnings);
    resolver.reportUnrecognised();
    config = finish(resolver.resolveAll(), [overrides]);
  }
  const first = sources[0];
  return {
    config,
    files: sources.map((source) => source.path),
    configDir: first !== undefined ? dirname(first.path) : (plan.dirs[0] ?? null),
    warnings,
    embedded,
  };
}
