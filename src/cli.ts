import { parseArgs } from './cli/args';
import { alyxCommands } from './cli/commands/alyx';
import { cacheCommands } from './cli/commands/cache';
import { localCommands } from './cli/commands/local';
import { npyCommands } from './cli/commands/npy';
import { releaseCommands } from './cli/commands/release';
import { statusCommand } from './cli/commands/status';
import { EXIT, describeError } from './cli/errors';
import { escapeControls as shown } from './core/escape';
import type { CliCommand, CliIo } from './cli/types';
import { CliError, UsageError } from './cli/types';
// A named import: the bundle gets the version string, not the whole manifest.
import { version as VERSION } from '../package.json';

/** Every command of `alf`, in the order `alf --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [...cacheCommands, ...releaseCommands, ...localCommands, ...npyCommands, ...alyxCommands, statusCommand];


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
    const { message, exitCode } = describeError(err, io.signal);
    // One line whatever the message quotes (a file name with a newline in it).
    io.stderr.write(`alf: ${shown(message)}\n`);
    if (io.env.ALF_DEBUG && err instanceof Error && !(err instanceof CliError)) io.stderr.write(`${err.stack ?? ''}\n`);
    return exitCode;
  }
}

if (require.main === module) {
  const controller = new AbortController();
  let stopping = false;
  // Ctrl-C and SIGTERM take one path: abort the signal, so that the command removes its temporary
  // files and says that nothing was changed. A second signal leaves at once.
  const stop = (name: 'SIGINT' | 'SIGTERM') => {
    if (stopping) process.exit(name === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
    stopping = true;
    controller.abort(name);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
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
      process.stderr.write(`alf: ${shown(describeError(err).message)}\n`);
      process.exitCode = 70;
    },
  );
}
