/**
 * The environment of the process: the only module of senlin-ts that reads `process.env`.
 * Everything else receives configuration explicitly; the few variables that matter are read
 * here (HOME, XDG_DATA_HOME and the `SENLIN_TS_*` flags listed in docs/configuration.md).
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** A set of environment variables (`process.env` or a substitute given by tests). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Environment flags must match this pattern: senlin-ts reads no other variables on request. */
const FLAG_PATTERN = /^SENLIN_TS_[A-Z0-9_]+$/;

/** The environment of this process. */
export function processEnvironment(): Environment {
  return process.env;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The home directory: `$HOME`, else the account's home directory. */
export function homeDir(env: Environment = processEnvironment()): string {
  return nonEmpty(env.HOME) ?? homedir();
}

/**
 * The directory for local state (the embedded SQLite database): `$SENLIN_TS_DATA_DIR`, else
 * `$XDG_DATA_HOME/senlin-ts` (when absolute, as the XDG spec requires), else
 * `~/.local/share/senlin-ts`.
 */
export function defaultDataDir(env: Environment = processEnvironment()): string {
  const explicit = nonEmpty(env.SENLIN_TS_DATA_DIR);
  if (explicit !== undefined) return explicit;
  const xdg = nonEmpty(env.XDG_DATA_HOME);
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'senlin-ts');
  return join(homeDir(env), '.local', 'share', 'senlin-ts');
}

/**
 * Directories searched for `senlin.conf` and `senlin.conf.d` when no file is named, in order
 * of preference: `~/.senlin`, `~`, `/etc/senlin`, `/etc`.
 */
export function defaultSearchDirs(env: Environment = processEnvironment()): string[] {
  const home = homeDir(env);
  return [join(home, '.senlin'), home, '/etc/senlin', '/etc'];
}

/** Expands a leading `~` (alone or followed by `/`) to the home directory. */
export function expandHome(path: string, env: Environment = processEnvironment()): string {
  if (path === '~') return homeDir(env);
  if (path.startsWith('~/')) return join(homeDir(env), path.slice(2));
  return path;
}

/**
 * Reads an environment flag. Only `SENLIN_TS_*` names are allowed (each documented in
 * docs/configuration.md); asking for any other name throws. Empty values count as unset.
 */
export function envFlag(name: string, env: Environment = processEnvironment()): string | undefined {
  if (!FLAG_PATTERN.test(name)) {
    throw new Error(`Environment flag names must match SENLIN_TS_*: ${JSON.stringify(name)}`);
  }
  return nonEmpty(env[name]);
}
