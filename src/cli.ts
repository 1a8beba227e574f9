import { parseArgs } from './cli/args';
import { alyxCommands } from './cli/commands/alyx';
import { cacheCommands } from './cli/commands/cache';
import { localCommands } from './cli/commands/local';
import { npyCommands } from './cli/commands/npy';
import { releaseCommands } from './cli/commands/release';
import { describeError } from './cli/errors';
import type { CliCommand, CliIo } from './cli/types';
import { CliError, UsageError } from './cli/types';

/** Every command of `alf`, in the order `alf --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [...cacheCommands, ...releaseCommands, ...localCommands, ...npyCommands, ...alyxCommands];

const VERSION = '0.1.0';

function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'alf — ALF validation, ONE caches, local search and loading, and Alyx registration',
    '',
    'Usage: alf <command> [options]     (alf <command> --help for details)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Exit codes: 0 done; 1 problems found (validate) or the operation failed; 2 bad arguments or input;',
    '3 file-system error (permission, disk full); 4 server or network error; 130 interrupted.',
  ].join('\n');
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${topLevelHelp()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) throw new UsageError(`unknown command '${name}' (see 'alf --help')`);
    const args = parseArgs(rest, command);
    if (args.options.help === true) {
      io.stdout.write(`${command.usage.trimEnd()}\n`);
      return 0;
    }
    return await command.run(args, io);
  } catch (err) {
    const { message, exitCode } = describeError(err);
    io.stderr.write(`alf: ${message}\n`);
    if (io.env.ALF_DEBUG && err instanceof Error && !(err instanceof CliError)) io.stderr.write(`${err.stack ?? ''}\n`);
    return exitCode;
  }
}

if (require.main === module) {
  const controller = new AbortController();
  let interrupted = false;
  process.on('SIGINT', () => {
    // A second Ctrl-C leaves at once; the first lets temporary files be cleaned up.
    if (interrupted) process.exit(130);
    interrupted = true;
    controller.abort();
  });
  // A closed pipe (`alf sessions DIR | head`) is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    signal: controller.signal,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`alf: ${describeError(err).message}\n`);
      process.exitCode = 70;
    },
  );
}
