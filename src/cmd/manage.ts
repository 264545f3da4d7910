/** `senlin-ts manage …`: schema, services and purges, with upstream senlin-manage's commands. */

import type { Db } from '../db/connection.js';
import type { Granularity } from '../db/manage.js';
import {
  actionPurge,
  dbSync,
  dbVersion,
  eventPurge,
  formatServiceList,
  GRANULARITIES,
  serviceClean,
  serviceList,
} from '../db/manage.js';
import type { CommonOptions, Runtime } from './runtime.js';
import { loadRuntime, openRuntimeDatabase } from './runtime.js';

type ManageAction = (rt: Runtime, db: Db, args: string[], opts: PurgeOptions) => Promise<number>;

interface PurgeOptions {
  project: string[];
  granularity: string;
}

function print(lines: readonly string[]): void {
  for (const line of lines) console.log(line);
}

function parseAge(
  args: string[],
  opts: PurgeOptions,
): { age: number; granularity: Granularity } | string {
  const [text] = args;
  if (text === undefined || !/^-?\d+$/.test(text))
    return 'an integer age is required, e.g. "event_purge 30"';
  if (!(opts.granularity in GRANULARITIES)) {
    return `granularity must be one of ${Object.keys(GRANULARITIES).join(', ')}`;
  }
  return { age: Number(text), granularity: opts.granularity as Granularity };
}

const ACTIONS: Readonly<Record<string, ManageAction>> = {
  db_sync: async (_rt, db, args) => {
    const applied = await dbSync(db, args[0]);
    print(
      applied.length
        ? applied.map((name) => `Applied ${name}`)
        : ['The database schema is up to date.'],
    );
    return 0;
  },
  db_version: async (_rt, db) => {
    print([(await dbVersion(db)) ?? 'None']);
    return 0;
  },
  service: async (rt, db, args) => {
    const liveness = { periodicInterval: rt.config.DEFAULT.periodic_interval };
    if (args[0] === 'list') {
      print(formatServiceList(await serviceList(db, liveness)));
      return 0;
    }
    if (args[0] === 'clean') {
      const { lines } = await serviceClean(db, liveness);
      print(lines.length ? lines : ['No dead service found.']);
      return 0;
    }
    console.error('ERROR: service needs a subcommand: list or clean');
    return 1;
  },
  event_purge: async (_rt, db, args, opts) => {
    const parsed = parseAge(args, opts);
    if (typeof parsed === 'string') {
      console.error(`ERROR: ${parsed}`);
      return 1;
    }
    print((await eventPurge(db, opts.project, parsed.age, parsed.granularity)).lines);
    return 0;
  },
  action_purge: async (rt, db, args, opts) => {
    const parsed = parseAge(args, opts);
    if (typeof parsed === 'string') {
      console.error(`ERROR: ${parsed}`);
      return 1;
    }
    const timeout = rt.config.DEFAULT.default_action_timeout;
    print((await actionPurge(db, opts.project, parsed.age, parsed.granularity, timeout)).lines);
    return 0;
  },
};

/** Runs one manage command; returns the exit code. */
export async function runManage(
  options: CommonOptions,
  command: string,
  args: string[],
  opts: PurgeOptions,
): Promise<number> {
  const action = ACTIONS[command.replaceAll('-', '_')];
  if (!action) {
    console.error(`ERROR: unknown command '${command}'; known: ${Object.keys(ACTIONS).join(', ')}`);
    return 1;
  }
  const rt = loadRuntime(options);
  const db = await openRuntimeDatabase(rt, { autoSync: false });
  try {
    return await action(rt, db, args, opts);
  } finally {
    await db.close();
  }
}
