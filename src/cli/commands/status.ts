import { alyxUrlProblem } from '../../core/alyx/client';
import { connectAlyx } from '../../core/alyx/connect';
import { escapeControls as shown } from '../../core/escape';
import { alyxStatus } from '../../core/status/status';
import { FILE_STATES, type AlyxStatusResult, type FileState, type SessionStatus } from '../../core/status/types';
import { flag, rejectUnknownOptions, stringOption } from '../args';
import { EXIT } from '../errors';
import { ProgressBar } from '../progress-bar';
import type { CliCommand, CliIo } from '../types';
import { UsageError } from '../types';
import { toCliError } from './alyx';

const USAGE = `Usage: alf status ROOT… [--url URL] [--hash] [--json]

What Alyx holds for every session under ROOT, like git status: one line per session (its state,
eid and how many files are in each state), then the files that are not registered, grouped by
state with the reason. Alyx is asked per subject (GET /sessions and /datasets filtered by
subject), at most 4 requests at a time.

Session states: registered, not-registered, unknown (the server could not be asked: the reason
says whether it is unreachable, you are logged out, or it answered an HTTP error).
File states: registered (same size, and md5 with --hash), changed, not-registered (registrable
but Alyx has no record), not-registrable (invalid name or no dataset type: the reason),
server-only (Alyx lists it, the folder does not have it).

  --hash          compare md5s as well as sizes (reads the files Alyx has a hash for)
  --url URL       Alyx server (default: $ALYX_URL, else ONE's default server)
  --json          print {"sessions": [{"path", "eid", "state", "reason"?, "datasets":
                  [{"rel_path", "state", "reason"?}]}], "requests": N}

Exit codes: 0 every session and file is registered; 1 something is not; 4 the server could not
be asked (unreachable, logged out, HTTP error) for at least one session.`;

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'what Alyx holds for every local session and file (registered, changed, not registered)',
  usage: USAGE,
  valueOptions: ['url'],
  async run(args, io) {
    rejectUnknownOptions(args, ['url', 'hash', 'json'], 'status');
    if (args.positionals.length === 0) throw new UsageError("'alf status' takes the data folder(s) to compare (see 'alf status --help')");
    const url = stringOption(args, 'url');
    if (url !== undefined) {
      const problem = url.trim() === '' ? 'give the server address, e.g. https://alyx.example.org' : alyxUrlProblem(url);
      if (problem !== undefined) throw new UsageError(`--url: ${problem}`);
    }
    const json = flag(args, 'json');
    const bar = new ProgressBar(io.stderr);
    let result: AlyxStatusResult;
    try {
      const { client } = await connectAlyx({ url, env: io.env });
      result = await alyxStatus({ roots: args.positionals }, client, { hash: flag(args, 'hash'), signal: io.signal, onProgress: (e) => bar.update(e) });
    } catch (err) {
      throw toCliError(err);
    } finally {
      bar.done();
    }
    if (json) io.stdout.write(`${JSON.stringify(toJson(result), null, 2)}\n`);
    else printStatus(io, result);
    if (result.sessions.some((s) => s.state === 'unknown')) return EXIT.server;
    const allRegistered = result.sessions.every((s) => s.state === 'registered' && s.files.every((f) => f.state === 'registered'));
    return allRegistered ? EXIT.ok : EXIT.problems;
  },
};

/** The documented `--json` shape, and nothing else: scripts read it. */
function toJson(result: AlyxStatusResult): unknown {
  return {
    sessions: result.sessions.map((s) => ({
      path: s.path,
      eid: s.eid,
      state: s.state,
      ...(s.reason !== undefined ? { reason: s.reason } : {}),
      datasets: s.files.map((f) => ({ rel_path: f.relPath, state: f.state, ...(f.reason !== undefined ? { reason: f.reason } : {}) })),
    })),
    requests: result.requests,
  };
}

function printStatus(io: CliIo, result: AlyxStatusResult): void {
  const say = (line: string) => io.stdout.write(`${line}\n`);
  if (result.unknown) io.stderr.write(`alf: Alyx status unknown: ${shown(result.unknown.reason)}\n`);
  const width = Math.max(0, ...result.sessions.map((s) => shown(s.path).length));
  for (const s of result.sessions) {
    say(`${shown(s.path).padEnd(width)}  ${s.state.padEnd(14)}  ${(s.eid ?? '-').padEnd(36)}  ${counts(s)}`);
    if (s.reason && !result.unknown) say(`    ${shown(s.reason)}`);
    for (const state of FILE_STATES) {
      if (state === 'registered') continue;
      const files = s.files.filter((f) => f.state === state);
      if (!files.length) continue;
      say(`  ${state} (${files.length}):`);
      for (const f of files) say(`    ${shown(f.relPath)}${f.reason ? `  (${shown(f.reason)})` : ''}`);
    }
  }
  const n = (state: SessionStatus['state']) => result.sessions.filter((s) => s.state === state).length;
  say(`${plural(result.sessions.length, 'session')}: ${n('registered')} registered, ${n('not-registered')} not registered, ${n('unknown')} unknown; ${plural(result.requests, 'request')}`);
}

function counts(s: SessionStatus): string {
  if (s.state === 'unknown') return s.reason ? shown(s.reason) : '';
  const by = new Map<FileState, number>();
  for (const f of s.files) by.set(f.state, (by.get(f.state) ?? 0) + 1);
  return FILE_STATES.filter((st) => by.has(st)).map((st) => `${by.get(st)} ${st}`).join(', ') || 'no files';
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
