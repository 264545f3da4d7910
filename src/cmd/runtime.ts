/**
 * What every command starts with: configuration (files, directories or the embedded defaults),
 * a logger, the data directory and the database.
 */
import { mkdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Logger } from 'pino';
import pino from 'pino';
import { defaultDataDir, expandHome } from '../config/environment.js';
import type { LoadedConfig } from '../config/load.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/options.js';
import type { Db } from '../db/connection.js';
import { databaseOptionsFromConfig, openDatabase } from '../db/connection.js';
import { schemaVersion, syncSchema } from '../db/migrate.js';
import { MIGRATION_NAMES } from '../db/migrations/index.js';

/** Command-line options shared by every command. */
export interface CommonOptions {
  configFile: string[];
  configDir: string[];
}

/** A loaded configuration with its logger and data directory. */
export interface Runtime {
  readonly loaded: LoadedConfig;
  readonly config: Config;
  readonly logger: Logger;
  readonly dataDir: string;
}

function createLogger(config: Config): Logger {
  const level = config.DEFAULT.debug ? 'debug' : 'info';
  const file = config.DEFAULT.log_file;
  if (!file) return pino({ level, base: { host: config.DEFAULT.host } });
  const path =
    isAbsolute(file) || !config.DEFAULT.log_dir ? file : join(config.DEFAULT.log_dir, file);
  return pino(
    { level, base: { host: config.DEFAULT.host } },
    pino.destination({ dest: path, mkdir: true, sync: false }),
  );
}

/** Loads the configuration and builds the logger; warnings are logged. */
export function loadRuntime(options: CommonOptions): Runtime {
  const loaded = loadConfig({ configFiles: options.configFile, configDirs: options.configDir });
  const config = loaded.config;
  const logger = createLogger(config);
  for (const warning of loaded.warnings) logger.warn(warning);
  const dataDir = expandHome(config.DEFAULT.data_dir ?? defaultDataDir());
  return { loaded, config, logger, dataDir };
}

/**
 * Opens the database. The embedded SQLite database is created and upgraded automatically;
 * PostgreSQL and MySQL must be at the current schema (`senlin-ts manage db_sync`).
 */
export async function openRuntimeDatabase(
  rt: Runtime,
  options: { autoSync: boolean },
): Promise<Db> {
  if (!rt.config.database.connection) mkdirSync(rt.dataDir, { recursive: true });
  const db = await openDatabase(databaseOptionsFromConfig(rt.config, rt.dataDir));
  try {
    if (options.autoSync && db.dialect === 'sqlite') {
      const applied = await syncSchema(db);
      if (applied.length > 0)
        rt.logger.info({ migrations: applied }, 'database schema created or upgraded');
    } else if (options.autoSync) {
      const current = await schemaVersion(db);
      const latest = MIGRATION_NAMES.at(-1) ?? null;
      if (current !== latest) {
        throw new Error(
          `The database schema is at ${current ?? 'nothing'} but this version needs ${latest}: run "senlin-ts manage db_sync" first.`,
        );
      }
    }
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
