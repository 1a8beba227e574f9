import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
import type * as Cli from '../src/cli';
import type * as CliErrors from '../src/cli/errors';

export const PROJECT = path.resolve(__dirname, '..');
/**
 * The read-only `shared/` folder beside the project root, absent on a contributor's clone;
 * ALF_SHARED points elsewhere (a git worktree has no `shared/` beside it).
 */
export const SHARED = path.resolve(PROJECT, process.env.ALF_SHARED ?? '../shared');
export const HAS_SHARED = existsSync(path.join(SHARED, 'tools/make-alf-tree.mjs'));
export const NO_SHARED_REASON = `needs ${SHARED} (the shared test data beside the project), which is absent`;

/** A fresh temporary folder, removed when the test ends. */
export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'alf-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes files (relative path → content) under `root`, creating folders. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/**
 * A v1.0 .npy of 8-byte values, written from the NPY format description independently of the
 * project's reader: `values` in file order (C order, or Fortran order with `fortran`), stored as
 * little-endian float64, or as int64 when `descr` is '<i8' and `values` is a BigInt64Array's bytes.
 */
export function npyFloat64(
  values: ArrayLike<number> | Float64Array,
  shape: readonly number[] = [values.length],
  options: { fortran?: boolean; descr?: '<f8' | '<i8' } = {},
): Buffer {
  const dict = `{'descr': '${options.descr ?? '<f8'}', 'fortran_order': ${options.fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pad = (64 - ((10 + dict.length + 1) % 64)) % 64;
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(dict.length + pad + 1, 8);
  const data = values instanceof Float64Array ? values : Float64Array.from(values);
  return Buffer.concat([head, Buffer.from(dict + ' '.repeat(pad) + '\n', 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

export interface ExampleEntry {
  path: string;
  what: string;
  valid: boolean;
}

/** Runs the project's own generator; returns the manifest of messy additions. */
export function makeExampleData(out: string, args: string[] = []): ExampleEntry[] {
  const manifest = `${out}.manifest.json`;
  const r = spawnSync(process.execPath, [path.join(PROJECT, 'scripts/make-example-data.mjs'), '--out', out, '--manifest', manifest, '--quiet', ...args], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`make-example-data failed: ${r.stderr}`);
  const entries = JSON.parse(readFileSync(manifest, 'utf8')) as ExampleEntry[];
  rmSync(manifest);
  return entries;
}

/** Runs the shared generator (the IBL release layout); callers skip when HAS_SHARED is false. */
export function makeSharedTree(out: string, args: string[]): void {
  const r = spawnSync(process.execPath, [path.join(SHARED, 'tools/make-alf-tree.mjs'), '--out', out, '--quiet', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`make-alf-tree failed: ${r.stderr}`);
}

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written to it, as a pipe would (not a terminal: no progress bar). */
function capture(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      stream.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

/**
 * Runs `alf ARGS` in this process through src/cli.ts `main`, as dist/cli.js runs it: the output
 * captured, stdin from `input`, `env` over this process's environment, the exit code returned.
 * Real processes (signals, closed pipes, the bundle itself) are left to test/unit/cli-process.test.ts.
 */
export async function alf(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): Promise<CliRun> {
  const stdout = capture();
  const stderr = capture();
  const io = { stdout, stderr, stdin: Readable.from([options.input ?? '']), env: { ...process.env, ...options.env }, signal: options.signal ?? new AbortController().signal };
  // Loaded on first use: most test files never run the CLI, and its module graph costs each of them ~0.5 s.
  const { main } = module.require('../src/cli') as typeof Cli;
  const { describeError } = module.require('../src/cli/errors') as typeof CliErrors;
  let status: number;
  try {
    status = await main(args, io);
  } catch (err) {
    // dist/cli.js's last resort for a rejection main did not turn into an exit code
    stderr.write(`alf: ${describeError(err).message}\n`);
    status = 70;
  }
  return { status, stdout: stdout.text, stderr: stderr.text };
}

/** Runs the bundled CLI (dist/cli.js, built by `npm test` before the tests) in a real process. */
export function runCli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(PROJECT, 'dist/cli.js'), ...args], {
    encoding: 'utf8',
    input: options.input ?? '',
    env: { ...process.env, ...options.env },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
