import { packageRelease, ReleaseInputError } from '../../core/release/package-release';
import { openRelease, ReleaseChecksumError } from '../../core/release/open-release';
import { ReleaseNetworkError } from '../../core/release/download';
import { ReleaseArchiveError } from '../../core/release/zip-reader';
import { errnoCode } from '../../core/cache/walk';
import { flag, rejectUnknownOptions, stringOption } from '../args';
import { EXIT } from '../errors';
import { ProgressBar } from '../progress-bar';
import type { CliCommand, CliIo } from '../types';
import { CliError, UsageError } from '../types';
import { formatBytes } from '../../core/util/bytes';

/** Release errors as exit codes: bad input 2, file system 3, network 4, a refused archive 1. */
function asCliError(err: unknown, what: string): unknown {
  if (err instanceof ReleaseInputError) return new UsageError(err.message);
  if (err instanceof ReleaseNetworkError) return new CliError(err.message, EXIT.server);
  if (err instanceof ReleaseArchiveError || err instanceof ReleaseChecksumError) return new CliError(err.message, EXIT.problems);
  const code = errnoCode(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new CliError(`disk full while writing ${what}: free some space and run again (nothing was left half-written)`, EXIT.fileSystem);
  return err;
}

const releaseCommand: CliCommand = {
  name: 'release',
  summary: 'package a data folder as a ONE release zip (tables + indexed datasets), with its sha256',
  usage: `Usage: alf release DIR [--out FILE] [--hash] [--level 0-9] [--include-invalid] [--json]

Makes DIR's ONE cache current (builds or updates it, and says why), then writes a zip holding
sessions.pqt, datasets.pqt, every indexed dataset at its path, and the top-level README*,
LICENSE* and CITATION* files. Files the cache does not index are left out and listed with the
reason. The zip is deterministic (the same folder gives the same bytes), Zip64 when needed,
and written atomically: an interrupted run leaves no partial zip and the previous one as it was.

  --out FILE          the zip to write (default DIR.zip beside DIR; never inside DIR)
  --hash              md5 every file into the tables' hash column
  --level N           deflate level 0 (store) to 9 (default 6); .mp4, .png, .pqt… are stored as-is
  --include-invalid   also pack the files that are not indexed
  --json              print {outFile, sha256, entries, bytesIn, bytesOut, durationMs, cache, leftOut}

Exit codes: 0 written; 2 bad arguments; 3 file-system error (disk full: nothing written); 130 interrupted.`,
  valueOptions: ['out', 'level'],
  async run(args, io) {
    rejectUnknownOptions(args, ['out', 'hash', 'level', 'include-invalid'], 'release');
    if (args.positionals.length !== 1) throw new UsageError(`'alf release' takes one folder (see 'alf release --help')`);
    const dir = args.positionals[0]!;
    const levelText = stringOption(args, 'level');
    const level = levelText === undefined ? 6 : Number(levelText);
    if (!/^[0-9]$/u.test(levelText ?? '6')) throw new UsageError(`--level ${levelText}: give a whole number from 0 (store) to 9 (smallest)`);
    const out = stringOption(args, 'out');
    const bar = new ProgressBar(io.stderr);
    let r;
    try {
      r = await packageRelease(dir, {
        level,
        ...(out !== undefined ? { outFile: out } : {}),
        hashFiles: flag(args, 'hash'),
        includeInvalid: flag(args, 'include-invalid'),
        signal: io.signal,
        onProgress: (e) => bar.update(e),
      });
    } catch (err) {
      throw asCliError(err, out ?? `${dir}.zip`);
    } finally {
      bar.done();
    }
    if (flag(args, 'json')) {
      io.stdout.write(`${JSON.stringify({ ...r, durationMs: Math.round(r.durationMs) }, null, 2)}\n`);
      return EXIT.ok;
    }
    const c = r.cache;
    io.stdout.write(
      c.action === 'current'
        ? `Cache: current (${c.sessions} sessions, ${c.datasets} datasets)\n`
        : `Cache: ${c.action} (${c.reason}): ${c.sessions} sessions, ${c.datasets} datasets\n`,
    );
    if (r.leftOut.length > 0) {
      io.stdout.write(`${flag(args, 'include-invalid') ? 'Packed although not indexed' : 'Left out'} (${r.leftOut.length}):\n`);
      for (const s of r.leftOut.slice(0, 20)) io.stdout.write(`  ${s.path}${s.isFolder ? '/' : ''} — ${s.reason} [${s.code}]\n`);
      if (r.leftOut.length > 20) io.stdout.write(`  … and ${r.leftOut.length - 20} more (--json lists them all)\n`);
    }
    if (r.documents.length > 0) io.stdout.write(`Documents: ${r.documents.join(', ')}\n`);
    io.stdout.write(`Wrote ${r.outFile}: ${r.entries.toLocaleString('en-US')} entries, ${formatBytes(r.bytesIn)} in, ${formatBytes(r.bytesOut)} out, ${(r.durationMs / 1000).toFixed(2)} s\n`);
    io.stdout.write(`sha256 ${r.sha256}\n`);
    return EXIT.ok;
  },
};

const openReleaseCommand: CliCommand = {
  name: 'open-release',
  summary: 'download (or take) a release zip, unpack it safely, and build or check its tables',
  usage: `Usage: alf open-release SOURCE --into DIR [--sha256 HEX] [--json]

SOURCE is an http(s) URL or a local .zip. A download resumes with HTTP Range after a dropped
connection (or in a later run); --sha256 is checked before anything is unpacked. Entries with
absolute paths, "..", drive letters, links, duplicate names, or implausible sizes are refused,
and nothing is written outside DIR: the zip is unpacked beside DIR and renamed into place, so
a failure leaves DIR as it was. DIR must be new or empty. A release holding one top-level
folder has its data root there. Tables are built when the release has none, read back when it
has them.

  --into DIR      the new or empty folder to unpack into
  --sha256 HEX    the zip's expected sha256
  --json          print {into, dataRoot, topFolder?, entries, bytes, sha256, tables}

Exit codes: 0 done; 1 the archive was refused or its sha256 differs; 2 bad arguments;
3 file-system error; 4 server or network error (run again to resume); 130 interrupted.`,
  valueOptions: ['into', 'sha256'],
  async run(args, io: CliIo) {
    rejectUnknownOptions(args, ['into', 'sha256'], 'open-release');
    if (args.positionals.length !== 1) throw new UsageError(`'alf open-release' takes one SOURCE, a URL or a .zip (see 'alf open-release --help')`);
    const into = stringOption(args, 'into');
    if (into === undefined) throw new UsageError(`'alf open-release' needs --into DIR, a new or empty folder`);
    const sha = stringOption(args, 'sha256');
    const bar = new ProgressBar(io.stderr);
    let r;
    try {
      r = await openRelease(args.positionals[0]!, into, { ...(sha !== undefined ? { sha256: sha } : {}), signal: io.signal, onProgress: (e) => bar.update(e) });
    } catch (err) {
      throw asCliError(err, into);
    } finally {
      bar.done();
    }
    if (flag(args, 'json')) {
      io.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      return EXIT.ok;
    }
    if (r.downloaded) io.stdout.write(`Downloaded ${formatBytes(r.downloaded.bytes)}${r.downloaded.resumed ? ` (resumed ${r.downloaded.resumed}×)` : ''}\n`);
    io.stdout.write(`sha256 ${r.sha256}${sha ? ' (as expected)' : ''}\n`);
    io.stdout.write(`Unpacked ${r.entries.toLocaleString('en-US')} files (${formatBytes(r.bytes)}) into ${r.into}\n`);
    if (r.topFolder) io.stdout.write(`The release holds one top-level folder, ${r.topFolder}: it is the data root\n`);
    const t = r.tables;
    io.stdout.write(
      t.action === 'built'
        ? `The release has no index tables: built them (${t.sessions} sessions, ${t.datasets} datasets)\n`
        : `Index tables read back: ${t.sessions} sessions, ${t.datasets} datasets${t.missingFiles ? `; ${t.missingFiles} datasets listed are not in the release` : ', every dataset present'}\n`,
    );
    io.stdout.write(`Open it in Python with: One(cache_dir=${JSON.stringify(r.dataRoot)}, mode='local')\n`);
    return EXIT.ok;
  },
};

export const releaseCommands: readonly CliCommand[] = [releaseCommand, openReleaseCommand];
