/**
 * The `senlin-ts` command: serve | api | engine | health-manager | manage …
 * This is the composition root: the only place that wires configuration, database, API and
 * background services together.
 */
import { Command } from 'commander';
import { ConfigError } from '../config/load.js';
import { runManage } from './manage.js';
import type { ProcessRole } from './process.js';
import { runProcess } from './process.js';
import type { CommonOptions } from './runtime.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function withConfigOptions(cmd: Command): Command {
  return cmd
    .option(
      '--config-file <path>',
      'configuration file (repeatable; later files override earlier ones)',
      collect,
      [],
    )
    .option(
      '--config-dir <dir>',
      'directory of *.conf files read after the files (repeatable)',
      collect,
      [],
    );
}

function commonOptions(cmd: Command): CommonOptions {
  const own = cmd.opts<CommonOptions>();
  const parent = cmd.parent?.opts<CommonOptions>() ?? { configFile: [], configDir: [] };
  return {
    configFile: [...(parent.configFile ?? []), ...(own.configFile ?? [])],
    configDir: [...(parent.configDir ?? []), ...(own.configDir ?? [])],
  };
}

function processCommand(
  program: Command,
  name: string,
  role: ProcessRole,
  description: string,
): void {
  withConfigOptions(program.command(name).description(description)).action(
    async (_opts, cmd: Command) => {
      await runProcess(role, commonOptions(cmd));
    },
  );
}

/** Builds the command-line program. */
export function buildProgram(): Command {
  const program = withConfigOptions(new Command('senlin-ts'))
    .description('OpenStack clustering service (Senlin), Clustering API v1')
    .showHelpAfterError();
  processCommand(
    program,
    'serve',
    'serve',
    'run the API, the engine and the health manager in one process (without a configuration file: try-it-now mode on 127.0.0.1:8777, SQLite, noauth, fake cloud)',
  );
  processCommand(program, 'api', 'api', 'run the API server');
  processCommand(program, 'engine', 'engine', 'run an engine process');
  processCommand(program, 'health-manager', 'health-manager', 'run a health manager process');
  const manage = withConfigOptions(
    program.command('manage').description('database and service administration'),
  );
  manage
    .argument(
      '<command>',
      'db_sync | db_version | service | event_purge | action_purge (dashes work too)',
    )
    .argument('[args...]', 'arguments of the command')
    .option('-p, --project <id>', 'limit purges to a project (repeatable)', collect, [])
    .option(
      '-g, --granularity <unit>',
      'unit of the age of purges: days, hours, minutes, seconds',
      'days',
    )
    .action(async (command: string, args: string[], _opts, cmd: Command) => {
      const opts = cmd.opts<{ project: string[]; granularity: string }>();
      process.exitCode = await runManage(commonOptions(cmd), command, args, opts);
    });
  return program;
}

/** Runs the program; configuration errors end it with a message and exit code 1. */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`ERROR: ${err.message}`);
      process.exitCode = 1;
      return;
    }
    console.error(`ERROR: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
