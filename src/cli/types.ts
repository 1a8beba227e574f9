/** One entry of the CLI's command table (src/cli.ts). */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

export interface ParsedArgs {
  /** Positional arguments after the command name. */
  positionals: string[];
  /** Options: `--flag` → true, `--key value` / `--key=value` → string (repeatable → string[]). */
  options: Record<string, string | boolean | string[]>;
}

export interface CliCommand {
  name: string;
  /** One line for `alf --help`. */
  summary: string;
  /** Full usage text for `alf NAME --help`. */
  usage: string;
  /** Options that take a value (everything else is a boolean flag). */
  valueOptions?: string[];
  /** Returns the process exit code. Throw `UsageError` or `CliError` for clear one-line errors. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** A one-line, user-facing error: printed as `alf: <message>` with no stack trace. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** Wrong arguments: exit code 2. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super(message, 2);
  }
}
