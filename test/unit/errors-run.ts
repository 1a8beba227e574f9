// Runs `alf` in-process through src/cli.ts's main(argv, io), with stdout and stderr captured, for
// the errors-*.test.ts files.
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli';
import type { CliIo } from '../../src/cli/types';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runAlf(argv: string[], options: { env?: NodeJS.ProcessEnv; signal?: AbortSignal; stdin?: string } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const io: CliIo = {
    stdout,
    stderr,
    stdin: Readable.from([options.stdin ?? '']),
    env: options.env ?? {},
    signal: options.signal ?? new AbortController().signal,
  };
  const code = await main(argv, io);
  await new Promise((r) => setImmediate(r));
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** One line on stderr, no stack trace. */
export function isOneLine(text: string): boolean {
  return text.trimEnd().split('\n').length === 1 && !/\n\s+at /.test(text);
}
