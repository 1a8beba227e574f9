import type { CliCommand, ParsedArgs } from './types';
import { UsageError } from './types';

/**
 * Splits argv into positionals and options. `--key value` and `--key=value` for options the
 * command declares as taking a value; other `--flags` are booleans; `--` ends options.
 * Repeated value options become arrays (e.g. `--users a --users b`).
 */
export function parseArgs(argv: readonly string[], command: Pick<CliCommand, 'name' | 'valueOptions'>): ParsedArgs {
  const takesValue = new Set(command.valueOptions ?? []);
  const positionals: string[] = [];
  const options: ParsedArgs['options'] = {};
  const put = (key: string, value: string | boolean) => {
    const prev = options[key];
    if (prev === undefined || typeof value === 'boolean') options[key] = value;
    else if (Array.isArray(prev)) prev.push(value as string);
    else if (typeof prev === 'string') options[key] = [prev, value as string];
    else options[key] = value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const key = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      if (takesValue.has(key)) {
        const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new UsageError(`--${key} needs a value (see 'alf ${command.name} --help')`);
        put(key, value);
      } else {
        if (eq > 0) throw new UsageError(`--${key} takes no value (see 'alf ${command.name} --help')`);
        put(key, true);
      }
      continue;
    }
    if (arg === '-h') {
      put('help', true);
      continue;
    }
    positionals.push(arg);
  }
  return { positionals, options };
}

/** Checks the options against the ones a command knows, so a typo is an error, not ignored. */
export function rejectUnknownOptions(args: ParsedArgs, known: readonly string[], command: string): void {
  const allowed = new Set([...known, 'help', 'json']);
  for (const key of Object.keys(args.options)) {
    if (!allowed.has(key)) throw new UsageError(`unknown option --${key} for 'alf ${command}' (see 'alf ${command} --help')`);
  }
}

export function stringOption(args: ParsedArgs, key: string): string | undefined {
  const v = args.options[key];
  if (v === undefined || typeof v === 'boolean') {
    if (v === true) throw new UsageError(`--${key} needs a value`);
    return undefined;
  }
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function listOption(args: ParsedArgs, key: string): string[] | undefined {
  const v = args.options[key];
  if (v === undefined || typeof v === 'boolean') return undefined;
  // Accept both repeated options and comma-separated lists.
  return (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

export function flag(args: ParsedArgs, key: string): boolean {
  return args.options[key] === true;
}
