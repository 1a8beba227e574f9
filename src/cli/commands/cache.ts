import * as path from 'node:path';
import { buildCache } from '../../core/cache/build';
import { scanTree } from '../../core/cache/scan';
import { compareCodePoints } from '../../core/order';
import type { ScanResult, ScanWarning, SkippedEntry } from '../../core/cache/types';
import { categoryOf, describeTally, hasProblems, tallyProblems, type ProblemTally } from '../../core/alf';
import { escapeControls as shown } from '../../core/escape';
import { flag, listOption, rejectUnknownOptions, stringOption } from '../args';
import { EXIT } from '../errors';
import { ProgressBar } from '../progress-bar';
import type { CliCommand, CliIo, ParsedArgs } from '../types';
import { UsageError } from '../types';
import { formatBytes } from '../../core/util/bytes';

function oneFolder(args: ParsedArgs, command: string): string {
  if (args.positionals.length !== 1) throw new UsageError(`'alf ${command}' takes one folder (see 'alf ${command} --help')`);
  return args.positionals[0]!;
}

function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Files outside every session are where a file is, not something wrong with it. */
export function isProblem(entry: SkippedEntry): boolean {
  return categoryOf(entry.code, entry.isFolder) !== 'outside';
}

/** The counts every surface shows (the core's categories), for a scan or a build. */
export function tallyOf(result: { skipped: readonly SkippedEntry[]; warnings: readonly ScanWarning[] }): ProblemTally {
  return tallyProblems([...result.skipped, ...result.warnings]);
}

/** Invalid names first, then skipped entries: the order of the core's categories. */
const CATEGORY_ORDER = ['invalid-folder', 'invalid-file', 'skipped'];
function byCategory(a: SkippedEntry, b: SkippedEntry): number {
  return CATEGORY_ORDER.indexOf(categoryOf(a.code, a.isFolder)) - CATEGORY_ORDER.indexOf(categoryOf(b.code, b.isFolder));
}

function warningLine(w: ScanWarning): string {
  return `Warning: ${shown(w.path)}${w.isFolder ? '/' : ''}: ${shown(w.message)}${w.fix ? ` (suggested name: ${shown(w.fix)})` : ''}\n`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Skipped entries grouped by code, a few examples each, so a messy tree stays readable. */
function printSkipped(io: CliIo, skipped: readonly SkippedEntry[], perGroup: number): void {
  const groups = new Map<string, SkippedEntry[]>();
  for (const s of skipped) {
    const list = groups.get(s.code);
    if (list) list.push(s);
    else groups.set(s.code, [s]);
  }
  const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
  for (const [code, list] of ordered) {
    io.stdout.write(`  ${code} (${list.length}):\n`);
    for (const s of list.slice(0, perGroup)) {
      io.stdout.write(`    ${shown(s.path)}${s.isFolder ? '/' : ''} — ${shown(s.reason)}${s.fix ? ` (suggested name: ${shown(s.fix)})` : ''}\n`);
    }
    if (list.length > perGroup) io.stdout.write(`    … and ${list.length - perGroup} more (--all lists every one, --json gives them all)\n`);
  }
}

const buildCacheCommand: CliCommand = {
  name: 'build-cache',
  summary: 'index a data folder into ONE cache tables (sessions.pqt, datasets.pqt)',
  usage: `Usage: alf build-cache DIR [--hash] [--out DIR] [--lab NAME] [--exclude GLOB]… [--all] [--json]

Indexes the ALF sessions under DIR into sessions.pqt and datasets.pqt, the tables Python ONE's
One(cache_dir=...) reads (as One.setup / make_parquet_db would write them, with stable ids).
Files that are not indexed are listed with the reason; they do not make the command fail.

  --hash          md5 every file into the hash column (ONE's hash_files=True)
  --out DIR       write the tables there instead of into DIR
  --lab NAME      lab name for sessions without a lab/Subjects folder
  --exclude GLOB  leave out matching paths (relative to DIR); repeatable
  --all           list every skipped file, not a few per reason
  --json          print {sessions, datasets, skipped:[{path, reason}], durationMs, sessionsPath, datasetsPath}

Exit codes: 0 the cache was written; 2 bad arguments or DIR is not a folder; 3 the tables could
not be written (permission, disk full: the previous tables are untouched); 130 interrupted.`,
  valueOptions: ['out', 'lab', 'exclude'],
  async run(args, io) {
    rejectUnknownOptions(args, ['hash', 'out', 'lab', 'exclude', 'all'], 'build-cache');
    const root = oneFolder(args, 'build-cache');
    const json = flag(args, 'json');
    const lab = stringOption(args, 'lab');
    if (lab !== undefined && !/^\w+$/u.test(lab)) throw new UsageError(`--lab ${lab}: a lab name has only letters, digits and underscores`);
    const bar = new ProgressBar(io.stderr);
    const outDir = stringOption(args, 'out');
    const exclude = listOption(args, 'exclude');
    let result;
    try {
      result = await buildCache(root, {
        hashFiles: flag(args, 'hash'),
        ...(outDir !== undefined ? { outDir } : {}),
        ...(lab !== undefined ? { lab } : {}),
        ...(exclude ? { exclude } : {}),
        signal: io.signal,
        onProgress: (e) => bar.update(e),
      });
    } finally {
      bar.done();
    }
    if (json) {
      writeJson(io, {
        sessions: result.sessions,
        datasets: result.datasets,
        skipped: result.skipped.map((s) => ({ path: s.path, reason: s.reason, code: s.code, isFolder: s.isFolder, ...(s.fix ? { fix: s.fix } : {}) })),
        warnings: result.warnings,
        counts: tallyOf(result),
        durationMs: Math.round(result.durationMs),
        sessionsPath: result.sessionsPath,
        datasetsPath: result.datasetsPath,
      });
      return EXIT.ok;
    }
    io.stdout.write(
      `Indexed ${plural(result.sessions, 'session')} and ${plural(result.datasets, 'dataset')} ` +
        `(${formatBytes(result.bytes)}) in ${(result.durationMs / 1000).toFixed(2)} s\n`,
    );
    io.stdout.write(`Wrote ${shown(result.sessionsPath)}\n      ${shown(result.datasetsPath)}\n`);
    io.stdout.write(`Problems: ${describeTally(tallyOf(result), { outside: true })}\n`);
    for (const w of result.warnings) io.stdout.write(warningLine(w));
    if (result.skipped.length > 0) {
      const folders = result.skipped.filter((s) => s.isFolder).length;
      io.stdout.write(`Not indexed: ${plural(result.skipped.length - folders, 'file')} and ${plural(folders, 'folder')}, by reason:\n`);
      printSkipped(io, result.skipped, flag(args, 'all') ? Infinity : 5);
    } else {
      io.stdout.write('Every file was indexed.\n');
    }
    io.stdout.write(`Load it in Python with: One(cache_dir=${JSON.stringify(path.dirname(result.sessionsPath))}, mode='local')\n`);
    return EXIT.ok;
  },
};

const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'list every file and folder that breaks the ALF naming rules, with the reason',
  usage: `Usage: alf validate DIR [--exclude GLOB]… [--json]

Checks every file and folder under DIR against the ALF specification
(lab/Subjects/subject/yyyy-mm-dd/NNN/[collection/][#revision#/]_namespace_object.attribute_timescale.extra.ext).
Counts invalid file names, invalid folders, warnings (valid names indexed anyway) and skipped
files (not data, or unreadable), the categories the editor and build-cache show. Files outside
any session are listed as notes, not problems.

  --exclude GLOB  leave out matching paths (relative to DIR); repeatable
  --json          print {problems:[{path, reason, code, category, isFolder, fix?}], warnings:[...],
                  notes:[...], counts:{invalidFiles, invalidFolders, warnings, skipped, outside}, sessions, files}

Exit codes: 0 no invalid or skipped entries (warnings allowed); 1 some found; 2 bad arguments or
DIR is not a folder.`,
  valueOptions: ['exclude'],
  async run(args, io) {
    rejectUnknownOptions(args, ['exclude'], 'validate');
    const root = oneFolder(args, 'validate');
    const scan = await scanWithBar(root, args, io);
    const problems = scan.skipped.filter(isProblem).sort(byCategory);
    const notes = scan.skipped.filter((s) => !isProblem(s));
    const tally = tallyOf(scan);
    const status = hasProblems(tally) ? EXIT.problems : EXIT.ok;
    if (flag(args, 'json')) {
      const withCategory = <T extends { code: string; isFolder: boolean }>(e: T) => ({ ...e, category: categoryOf(e.code, e.isFolder) });
      writeJson(io, {
        problems: problems.map(withCategory),
        warnings: scan.warnings.map(withCategory),
        notes,
        counts: tally,
        sessions: scan.sessions.length,
        files: scan.fileCount,
      });
      return status;
    }
    for (const p of problems) {
      io.stdout.write(`${shown(p.path)}${p.isFolder ? '/' : ''}: ${shown(p.reason)}${p.fix ? ` (suggested name: ${shown(p.fix)})` : ''} [${p.code}]\n`);
    }
    for (const w of scan.warnings) io.stdout.write(warningLine(w));
    const summary =
      `${capitalised(describeTally(tally))} in ${plural(scan.fileCount, 'file')} and ${plural(scan.sessions.length, 'session')}` +
      (notes.length > 0 ? `; ${plural(notes.length, 'file')} outside any session (not checked)` : '');
    io.stdout.write(`${summary}\n`);
    return status;
  },
};

const sessionsCommand: CliCommand = {
  name: 'sessions',
  summary: 'list the sessions found under a folder',
  usage: `Usage: alf sessions DIR [--exclude GLOB]… [--json]

Lists every ALF session folder under DIR with its lab, subject, date, number, dataset count and
the session id (eid) the cache builder gives it.

  --json   print [{eid, lab, subject, date, number, path, datasets}]`,
  valueOptions: ['exclude'],
  async run(args, io) {
    rejectUnknownOptions(args, ['exclude'], 'sessions');
    const root = oneFolder(args, 'sessions');
    const scan = await scanWithBar(root, args, io);
    const rows = scan.sessions
      .map((s) => ({ eid: s.eid, lab: s.lab ?? '', subject: s.subject, date: s.date, number: s.number, path: s.path, datasets: s.datasets.length }))
      .sort((a, b) => compareCodePoints(b.date, a.date) || compareCodePoints(b.subject, a.subject) || b.number - a.number);
    if (flag(args, 'json')) {
      writeJson(io, rows);
      return EXIT.ok;
    }
    if (rows.length === 0) {
      io.stdout.write(`No sessions under ${shown(root)} (expected lab/Subjects/subject/yyyy-mm-dd/NNN or subject/yyyy-mm-dd/NNN folders)\n`);
      return EXIT.ok;
    }
    const text = rows.map((r) => ({ ...r, lab: shown(r.lab), subject: shown(r.subject) }));
    const labW = Math.max(3, ...text.map((r) => r.lab.length));
    const subW = Math.max(7, ...text.map((r) => r.subject.length));
    io.stdout.write(`${'lab'.padEnd(labW)}  ${'subject'.padEnd(subW)}  date        no.  datasets  eid\n`);
    for (const r of text) {
      io.stdout.write(
        `${r.lab.padEnd(labW)}  ${r.subject.padEnd(subW)}  ${r.date}  ${String(r.number).padStart(3, '0')}  ${String(r.datasets).padStart(8)}  ${r.eid}\n`,
      );
    }
    io.stdout.write(`${rows.length} session${rows.length === 1 ? '' : 's'}\n`);
    return EXIT.ok;
  },
};

async function scanWithBar(root: string, args: ParsedArgs, io: CliIo): Promise<ScanResult> {
  const bar = new ProgressBar(io.stderr);
  const exclude = listOption(args, 'exclude');
  try {
    return await scanTree(root, { ...(exclude ? { exclude } : {}), signal: io.signal, onProgress: (e) => bar.update(e) });
  } finally {
    bar.done();
  }
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}


export const cacheCommands: readonly CliCommand[] = [buildCacheCommand, validateCommand, sessionsCommand];
