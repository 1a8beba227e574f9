/**
 * `alf npy FILE`: a NumPy .npy file's header and statistics, and optionally a slice of rows, read
 * the way the .npy editor reads it — header bytes only, then the data in 4 MiB chunks for the
 * statistics, and only the asked rows for `--rows` — so a file of any size is safe to inspect.
 */
import { statSync } from 'node:fs';
import { type NpyHeader, previewNpy, readNpyHeader, readNpySlice } from '../../core/npy';
import { escapeControls as shown } from '../../core/escape';
import { flag, rejectUnknownOptions, stringOption } from '../args';
import { EXIT } from '../errors';
import { cliErrorOf, exactValue, formatNumber, shapeText } from '../local-support';
import type { CliCommand, CliIo, ParsedArgs } from '../types';
import { CliError, UsageError } from '../types';
import { formatBytes } from '../../core/util/bytes';

/** Rows decoded at a time while printing a slice, so a long slice never sits in memory whole. */
const PRINT_BLOCK_ROWS = 1 << 16;

/** Python's `a[A:B]` bounds for `shape[0]` rows: negatives count from the end, then clipped. */
export function parseRows(text: string, total: number): { start: number; stop: number } {
  const m = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*$/.exec(text);
  const single = /^\s*(-?\d+)\s*$/.exec(text);
  if (!m && !single) throw new UsageError(`--rows ${text}: expected A:B (rows A to B-1, as in Python), A:, :B or one row index`);
  const bound = (s: string | undefined, dflt: number) => {
    if (s === undefined) return dflt;
    const n = Number(s);
    return Math.min(total, Math.max(0, n < 0 ? total + n : n));
  };
  if (single) {
    const n = Number(single[1]);
    const i = n < 0 ? total + n : n;
    if (i < 0 || i >= total) throw new UsageError(`--rows ${text}: row ${n} is out of range (the array has ${total} rows)`);
    return { start: i, stop: i + 1 };
  }
  const [, a, b] = m as RegExpExecArray;
  const start = bound(a, 0);
  return { start, stop: Math.max(start, bound(b, total)) };
}

function headerJson(h: NpyHeader): Record<string, unknown> {
  return {
    version: h.version,
    descr: h.dtype.descr,
    dtype: h.dtype.name,
    shape: h.shape,
    fortranOrder: h.fortranOrder,
    count: h.count,
    headerBytes: h.dataOffset,
    dataBytes: h.byteLength,
    fileSize: h.fileSize,
    truncated: h.truncated,
  };
}

const npyCommand: CliCommand = {
  name: 'npy',
  summary: "show a NumPy .npy file's header and statistics, and rows of it",
  usage: `Usage: alf npy FILE [--rows A:B] [--no-stats] [--json]

The header (dtype, shape, C or Fortran order, format version, sizes) and statistics of every
value (count, NaN count, min, max, mean), read in 4 MiB chunks: the file is never held whole.

  --rows A:B    also print rows A to B-1 along the first axis, as Python's a[A:B] (A:, :B,
                negative indices from the end, or one index); only those rows are read
  --no-stats    the header only (reads a few hundred bytes, whatever the file size)
  --json        print {path, version, descr, dtype, shape, fortranOrder, count, headerBytes,
                dataBytes, fileSize, truncated, stats, rows?: {start, stop, values}}; NaN and
                infinities are null in stats, and in values as in JSON; int64 beyond 2^53 as strings

Exit codes: 0 done; 1 the file is truncated (the header is still shown); 2 not an .npy file, an
unsupported dtype, bad arguments; 3 the file cannot be read (permission).`,
  valueOptions: ['rows'],
  async run(args, io) {
    rejectUnknownOptions(args, ['rows', 'no-stats'], 'npy');
    if (args.positionals.length !== 1) throw new UsageError("'alf npy' takes one FILE (see 'alf npy --help')");
    const file = args.positionals[0] as string;
    let isFolder = false;
    try {
      isFolder = statSync(file).isDirectory();
    } catch (e) {
      // Other failures (permission) are described by the shared error mapping.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${file}: not found`);
      throw e;
    }
    if (isFolder) throw new UsageError(`${file} is a folder; give an .npy file`);
    try {
      return await show(file, args, io);
    } catch (e) {
      throw cliErrorOf(e);
    }
  },
};

async function show(file: string, args: ParsedArgs, io: CliIo): Promise<number> {
  const json = flag(args, 'json');
  const rowsText = stringOption(args, 'rows');
  const header = await readNpyHeader(file);
  const total = header.shape.length === 0 ? 1 : (header.shape[0] as number);
  if (rowsText !== undefined && header.shape.length === 0) throw new UsageError(`--rows: ${file} holds a single value (0-d array), it has no rows`);
  const range = rowsText !== undefined ? parseRows(rowsText, total) : undefined;
  const out: Record<string, unknown> = { path: file, ...headerJson(header) };

  if (!json) {
    const order = header.fortranOrder ? 'Fortran (column-major)' : 'C (row-major)';
    io.stdout.write(
      [
        shown(file),
        `  dtype    ${header.dtype.name} (${header.dtype.descr})`,
        `  shape    ${shapeText(header.shape)}, ${header.count.toLocaleString('en-US')} value${header.count === 1 ? '' : 's'}`,
        `  order    ${order}`,
        `  version  ${header.version}`,
        `  size     ${formatBytes(header.fileSize, { exact: true })}: header ${header.dataOffset} B, data ${formatBytes(header.byteLength, { exact: true })}`,
      ].join('\n') + '\n',
    );
  }
  if (header.truncated) {
    if (json) writeJson(io, out);
    throw new CliError(
      `${file}: truncated: the header promises ${header.byteLength.toLocaleString('en-US')} data bytes, the file has ${Math.max(0, header.fileSize - header.dataOffset).toLocaleString('en-US')} — copy or download the file again`,
      EXIT.problems,
    );
  }
  if (!flag(args, 'no-stats')) {
    const p = await previewNpy(file, { buckets: 1, signal: io.signal });
    const s = p.stats;
    if (json) {
      const finite = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);
      out.stats = { count: s.count, nanCount: s.nanCount, min: finite(s.min), max: finite(s.max), mean: finite(s.mean) };
    } else {
      io.stdout.write(`  values   min ${formatNumber(s.min)}  max ${formatNumber(s.max)}  mean ${formatNumber(s.mean)}  NaN ${s.nanCount.toLocaleString('en-US')}\n`);
    }
  }
  if (range) {
    const single = header.dtype.name === 'float32' || header.dtype.name === 'float16';
    const rowsOut: unknown[] = [];
    if (!json) io.stdout.write(`rows ${range.start}:${range.stop} of ${total.toLocaleString('en-US')}\n`);
    const width = String(Math.max(0, range.stop - 1)).length;
    for (let at = range.start; at < range.stop; at += PRINT_BLOCK_ROWS) {
      if (io.signal.aborted) throw new CliError('interrupted', EXIT.interrupted);
      const slice = await readNpySlice(file, { start: at, count: Math.min(PRINT_BLOCK_ROWS, range.stop - at) });
      const rowWidth = slice.shape.slice(1).reduce((a, b) => a * b, 1);
      for (let i = 0; i < slice.count; i++) {
        const row: (number | bigint)[] = [];
        for (let k = 0; k < rowWidth; k++) row.push(slice.data[i * rowWidth + k] as number | bigint);
        if (json) rowsOut.push(nestRow(row, slice.shape.slice(1)));
        else io.stdout.write(`${String(at + i).padStart(width)}  ${row.map((v) => exactValue(v, single)).join('  ')}\n`);
      }
    }
    if (json) out.rows = { start: range.start, stop: range.stop, values: rowsOut };
  }
  if (json) writeJson(io, out);
  return EXIT.ok;
}

/** One row's values nested by the trailing shape, like tolist(). */
function nestRow(flat: readonly (number | bigint)[], shape: readonly number[]): unknown {
  if (shape.length <= 1) return shape.length === 0 ? flat[0] : [...flat];
  const [n, ...rest] = shape as [number, ...number[]];
  const size = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => nestRow(flat.slice(i * size, (i + 1) * size), rest));
}

function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(
    `${JSON.stringify(
      value,
      (_k, v: unknown) => (typeof v === 'bigint' ? (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v),
      2,
    )}\n`,
  );
}

export const npyCommands: readonly CliCommand[] = [npyCommand];
