/**
 * Finding and reading configuration files the way oslo.config does: named files in order,
 * then the `*.conf` files of each configuration directory sorted by name; without names, the
 * first `senlin.conf` and the first `senlin.conf.d` of the search directories.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import type { Environment } from './environment.js';
import { expandHome } from './environment.js';
import type { IniDocument } from './ini.js';
import { IniParseError, parseIni } from './ini.js';

/** One configuration file, read and parsed. */
export interface ConfigSource {
  /** Absolute path. */
  readonly path: string;
  readonly document: IniDocument;
}

/** What to read: files first, then directories. */
export interface SourceRequest {
  readonly configFiles: readonly string[];
  readonly configDirs: readonly string[];
  /** Look in `searchDirs` for whatever of files or directories was not named. */
  readonly searchDefaults: boolean;
  readonly searchDirs: readonly string[];
  readonly env: Environment;
}

/** The files to read, in order, and the configuration directories that were used. */
export interface SourcePlan {
  readonly files: readonly string[];
  readonly dirs: readonly string[];
  /** True when files or directories were named (not found by searching). */
  readonly explicit: boolean;
}

function kindOf(path: string): 'file' | 'dir' | null {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return 'dir';
    return stat.isFile() ? 'file' : null;
  } catch {
    return null;
  }
}

function firstExisting(dirs: readonly string[], name: string, kind: 'file' | 'dir'): string[] {
  const found = dirs.map((dir) => join(dir, name)).find((path) => kindOf(path) === kind);
  return found === undefined ? [] : [found];
}

/** The `*.conf` files of a directory, sorted by name; hidden files are skipped like a glob. */
function confFilesOf(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.conf') && !name.startsWith('.'))
    .sort()
    .map((name) => join(dir, name))
    .filter((path) => kindOf(path) === 'file');
}

/** Decides which files to read. Throws `ConfigError` for a named directory that is missing. */
export function planSources(request: SourceRequest): SourcePlan {
  const absolute = (path: string): string => resolve(expandHome(path, request.env));
  const namedFiles = request.configFiles.map(absolute);
  const namedDirs = request.configDirs.map(absolute);
  const search = request.searchDefaults;
  const files =
    namedFiles.length > 0 || !search
      ? namedFiles
      : firstExisting(request.searchDirs, 'senlin.conf', 'file');
  const dirs =
    namedDirs.length > 0 || !search
      ? namedDirs
      : firstExisting(request.searchDirs, 'senlin.conf.d', 'dir');
  for (const dir of namedDirs) {
    if (kindOf(dir) !== 'dir') throw new ConfigError(`Configuration directory not found: ${dir}`);
  }
  return {
    files: [...files, ...dirs.flatMap(confFilesOf)],
    dirs,
    explicit: namedFiles.length > 0 || namedDirs.length > 0,
  };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`Configuration file not found: ${path}`);
    if (code === 'EACCES') {
      throw new ConfigError(`Cannot read configuration file ${path}: permission denied`);
    }
    throw new ConfigError(`Cannot read configuration file ${path}: ${(error as Error).message}`);
  }
}

/** Reads and parses one file. Throws `ConfigError` if it is missing, unreadable or malformed. */
export function readSource(path: string): ConfigSource {
  const text = readText(path);
  try {
    return { path, document: parseIni(text, path) };
  } catch (error) {
    if (error instanceof IniParseError) {
      throw new ConfigError(
        `Syntax error in ${path}:${error.line}: ${error.reason}: ${JSON.stringify(error.text)}`,
      );
    }
    throw error;
  }
}
