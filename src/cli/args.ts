import { parseArgs as parseNodeArgs } from 'node:util';
import type { CliCommand, ParsedArgs } from './types';
import { UsageError } from './types';

/**
 * Splits argv into positionals and options with Node's `util.parseArgs`. `--key value` and
 * `--key=value` for options the command declares as taking a value; other `--flags` are
 * booleans; `--` ends options. Repeated value options become arrays (e.g. `--users a --users b`).
 * `-h` is `--help`; any other word starting with one dash (a file named `-x`, `-5`) stays a
 * positional, as `alf` has no other short options.
 */
export function parseArgs(argv: readonly string[], command: Pick<CliCommand, 'name' | 'valueOptions'>): ParsedArgs {
  const takesValue = new Set(command.valueOptions ?? []);
  const { tokens } = parseNodeArgs({
    args: [...argv],
    // Not strict: unknown options are reported by rejectUnknownOptions, with the command's name.
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: Object.fromEntries([...takesValue].map((key) => [key, { type: 'string', multiple: true } as const])),
  });
  const positionals: string[] = [];
  const options: ParsedArgs['options'] = {};
  const put = (key: string, value: string | boolean) => {
    const prev = options[key];
    if (prev === undefined || typeof value === 'boolean') options[key] = value;
    else if (Array.isArray(prev)) prev.push(value as string);
    else if (typeof prev === 'string') options[key] = [prev, value as string];
    else options[key] = value;
  };
  // A group like `-ab` is one token per letter, all with the argument's index: take it once.
  const shortArgsSeen = new Set<number>();
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    if (!token.rawName.startsWith('--')) {
      if (shortArgsSeen.has(token.index)) continue;
      shortArgsSeen.add(token.index);
      const raw = argv[token.index]!;
      if (raw === '-h') put('help', true);
      else positionals.push(raw);
    } else if (takesValue.has(token.name)) {
      if (token.value === undefined) throw new UsageError(`--${token.name} needs a value (see 'alf ${command.name} --help')`);
      put(token.name, token.value);
    } else {
      if (token.inlineValue) throw new UsageError(`--${token.name} takes no value (see 'alf ${command.name} --help')`);
      put(token.name, true);
    }
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
