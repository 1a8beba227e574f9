/**
 * What the local-mode commands (`alf search`, `list-datasets`, `load-object`, `npy`) share:
 * opening a cache folder with errors a person can act on, naming a session by eid or by path,
 * turning the core's OneError/NpyError into the CLI's exit codes, number formatting, and
 * atomic file output.
 */
import { existsSync, promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { SESSIONS_FILE, DATASETS_FILE, recoverCacheTables } from '../core/cache/table-pair';
import type { SessionRow } from '../core/cache/types';
import { escapeControls as shown } from '../core/escape';
import { NpyError } from '../core/npy';
import { OneError, OneLocal } from '../core/one';
import { EXIT } from './errors';
import { CliError, UsageError } from './types';

/** ONE's session folder relative to the cache folder: lab/Subjects/subject/date/NNN (or subject/date/NNN). */
export function sessionRelPath(s: Pick<SessionRow, 'lab' | 'subject' | 'date' | 'number'>): string {
  const tail = `${s.subject}/${s.date}/${String(s.number).padStart(3, '0')}`;
  return s.lab ? `${s.lab}/Subjects/${tail}` : tail;
}

/**
 * Opens the cache in `cacheDir` (tables in `tablesDir` when given). A missing folder or missing
 * tables are usage errors (exit 2) that say how to make them.
 */
export async function openCache(cacheDir: string, tablesDir?: string, stderr?: NodeJS.WritableStream): Promise<OneLocal> {
  if (!isDir(cacheDir)) throw new UsageError(`${cacheDir} is not a folder: give the folder that holds the data and its sessions.pqt`);
  const tables = tablesDir ?? cacheDir;
  if (tablesDir !== undefined && !isDir(tablesDir)) throw new UsageError(`--tables-dir ${tablesDir} is not a folder`);
  // A build killed between its renames may have left no table in place: put the pair back first.
  const recovered = await recoverCacheTables(tables);
  if (recovered) stderr?.write(`alf: ${recovered}\n`);
  for (const file of [SESSIONS_FILE, DATASETS_FILE]) {
    if (!existsSync(path.join(tables, file))) {
      throw new UsageError(
        tablesDir !== undefined
          ? `no ${file} in ${tables} — build it with \`alf build-cache ${cacheDir} --out ${tablesDir}\``
          : `no ${file} in ${tables} — build it with \`alf build-cache ${cacheDir}\` (or give --tables-dir DIR if it was written with --out DIR)`,
      );
    }
  }
  return OneLocal.open(cacheDir, tablesDir !== undefined ? { tablesDir } : {});
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** …[/lab/Subjects]/subject/yyyy-mm-dd/N[NN] at the end of a path (absolute, relative, or ONE's). */
const SESSION_TAIL = /(?:^|\/)(?:([^/]+)\/Subjects\/)?([^/]+)\/(\d{4}-\d{2}-\d{2})\/(\d{1,3})$/;

/**
 * The session `spec` names: an eid, or a session path — `lab/Subjects/subject/date/number`,
 * `subject/date/number`, or any path ending so (such as the folder on disk). Without a lab, the
 * subject, date and number must pick one session.
 */
export function resolveSession(one: OneLocal, spec: string, cacheDir: string): SessionRow {
  const text = spec.trim();
  if (UUID.test(text)) {
    const s = one.getSession(text.toLowerCase()) ?? one.getSession(text);
    if (!s) throw new UsageError(`session ${text} is not in the cache in ${cacheDir} (\`alf search ${cacheDir}\` lists the sessions; rebuild the cache if it is new)`);
    return s;
  }
  const m = SESSION_TAIL.exec(text.replace(/\\/g, '/').replace(/\/+$/, ''));
  if (!m) {
    throw new UsageError(`"${spec}" is neither an eid nor a session path: give an eid or lab/Subjects/subject/yyyy-mm-dd/NNN (or subject/yyyy-mm-dd/NNN)`);
  }
  const [, lab, subject, date, num] = m as unknown as [string, string | undefined, string, string, string];
  const number = Number(num);
  const found = one.sessions.filter((s) => s.subject === subject && s.date === date && s.number === number && (lab === undefined || s.lab === lab));
  if (found.length === 1) return found[0] as SessionRow;
  const label = `${lab ? `${lab}/Subjects/` : ''}${subject}/${date}/${num}`;
  if (found.length === 0) {
    throw new UsageError(`no session ${label} in the cache in ${cacheDir} (\`alf search ${cacheDir} --subject ${subject}\` lists that subject's sessions)`);
  }
  throw new UsageError(`${label} is ambiguous: ${found.map((s) => `${sessionRelPath(s)} (${s.id})`).join(', ')}; give the lab or the eid`);
}

/**
 * A core error as a CLI error. Wrong terms, values, names and sessions are the user's to change
 * (exit 2), with the option named as typed on the command line; data that is missing or
 * unreadable on disk is a failed operation (exit 1).
 */
export function cliErrorOf(err: unknown, optionOf: (field: string) => string | undefined = () => undefined): unknown {
  if (err instanceof OneError) {
    const option = err.field !== undefined ? optionOf(err.field) : undefined;
    let message = err.message;
    if (option !== undefined && err.field !== undefined && message.startsWith(`${err.field}:`)) message = `${option}:${message.slice(err.field.length + 1)}`;
    else if (option !== undefined) message = `${option}: ${message}`;
    const usage = err.code !== 'not-on-disk' && err.code !== 'unreadable';
    return new CliError(message, usage ? EXIT.usage : EXIT.problems);
  }
  if (err instanceof NpyError) return new CliError(err.message, npyExitCode(err));
  return err;
}

/**
 * The exit code of an `.npy` that cannot be read, the same from `alf npy` and `alf load-object`
 * (see `alf npy --help`): a file cut short is a failed operation (1), a file that is not an .npy
 * or that no reader could use is bad input (2), a file the system will not let us read is 3.
 */
export function npyExitCode(err: NpyError): number {
  if (err.code === 'truncated') return EXIT.problems;
  if (err.code === 'unreadable') return EXIT.fileSystem;
  return EXIT.usage;
}

/** A number for a person: integers as they are, others to 6 significant digits. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'n/a';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const abs = Math.abs(x);
  if (Number.isInteger(x) && abs < 1e15) return String(x);
  // Very large or small magnitudes in exponent form, which JavaScript uses only beyond 1e21.
  if (abs >= 1e15 || (abs !== 0 && abs < 1e-4)) return x.toExponential(5).replace(/\.?0+e/, 'e');
  return Number(x.toPrecision(6)).toString();
}

/**
 * A value exactly, as short as possible: doubles by JavaScript's shortest round-trip form,
 * float32/float16 values by the shortest decimal that reads back to the same float32 (so 0.1f is
 * `0.1`, not 0.10000000149011612), 64-bit integers exactly. NaN is `nan`, infinities `inf`/`-inf`.
 */
export function exactValue(x: number | bigint, single: boolean): string {
  if (typeof x === 'bigint') return x.toString();
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (single) {
    for (let p = 1; p <= 9; p++) {
      const s = Number(x.toPrecision(p));
      if (Math.fround(s) === x) return String(s);
    }
  }
  return String(x);
}

/** `(40,)`, `(40, 2)`, `()` as NumPy prints shapes. */
export function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Columns padded to their widest cell; the last column is not padded. Cells are shown() on one line. */
export function table(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number> = new Set()): string {
  const widths: number[] = [];
  const shownRows = rows.map((r) => r.map(shown));
  for (const r of shownRows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return shownRows
    .map((r) =>
      r
        .map((c, i) => {
          if (i === r.length - 1 && !rightAligned.has(i)) return c;
          const pad = ' '.repeat((widths[i] ?? 0) - [...c].length);
          return rightAligned.has(i) ? pad + c : c + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * Writes `file` atomically: the text goes to a temporary file in the same folder, which is
 * renamed over `file` only when complete, so a failure or Ctrl-C never leaves half a file.
 */
export async function writeFileAtomic(file: string, chunks: Iterable<string>, signal?: AbortSignal): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  if (!isDir(dir)) throw new UsageError(`cannot write ${file}: the folder ${dir} does not exist`);
  if (isDir(file)) throw new UsageError(`cannot write ${file}: it is a folder; give a file name`);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const handle = await fs.open(tmp, 'wx');
  let done = false;
  try {
    let buffer = '';
    for (const chunk of chunks) {
      buffer += chunk;
      if (buffer.length >= 1 << 20) {
        if (signal?.aborted) throw new CliError('interrupted; nothing was written', EXIT.interrupted);
        await handle.write(buffer);
        buffer = '';
      }
    }
    if (buffer) await handle.write(buffer);
    await handle.sync();
    await handle.close();
    done = true;
    await fs.rename(tmp, file);
  } catch (e) {
    if (!done) await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
