import { AlyxAuthError, AlyxConnectionError, AlyxFilterError, AlyxHttpError } from '../../core/alyx/errors';
import { alyxUrlProblem } from '../../core/alyx/client';
import { AlyxNoUrlError, AlyxSettingError, type Connection, connectAlyx, resolveAlyxUrl } from '../../core/alyx/connect';
import { clearToken, clientParamsFile, oneCacheDir, readClientParams } from '../../core/alyx/params';
import { CancelledError } from '../../core/progress';
import { RegistrationClient } from '../../core/registration/client';
import { DatasetTypeError } from '../../core/registration/dataset-type';
import { addDatasetTypeHint, describeClosest } from '../../core/registration/dataset-type-closest';
import {
  AlyxMemberNotFoundError, InvalidInputError, type PartialRegistration, UnsafeMoveError, filesResultsOf, partialRegistrationOf, standingMovesOf,
} from '../../core/registration/errors';
import { findSessionFlags, requireFiles, requireSessionFolder } from '../../core/registration/local-checks';
import type { FileMove } from '../../core/registration/moves';
import type { CreateSessionsResult, PlannedRequest, RegisterFilesResult, RegisterSessionResult, SkippedFile } from '../../core/registration/types';
import { escapeControls as shown } from '../../core/escape';
import { flag, listOption, rejectUnknownOptions, stringOption } from '../args';
import { EXIT, describeError } from '../errors';
import { ProgressBar } from '../progress-bar';
import type { CliCommand, CliIo, ParsedArgs } from '../types';
import { CliError, UsageError } from '../types';

const COMMON_HELP = `  --url URL       Alyx server (default: $ALYX_URL, else ONE's default server)
  --json          print the result as JSON on stdout`;

/** Options every Alyx command takes. */
const COMMON = ['url'];

// ------------------------------------------------------------------ plumbing

function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function say(io: CliIo, line = ''): void {
  io.stdout.write(`${line}\n`);
}

/** Runs a command body, turning core errors into one-line CliErrors with documented exit codes. */
function command(spec: Omit<CliCommand, 'run'> & { known: string[]; body: (args: ParsedArgs, io: CliIo) => Promise<number> }): CliCommand {
  const { known, body, ...rest } = spec;
  return {
    ...rest,
    valueOptions: [...COMMON, ...(rest.valueOptions ?? [])],
    async run(args, io) {
      rejectUnknownOptions(args, [...COMMON, ...known], spec.name);
      checkUrlOption(args, io);
      try {
        return await body(args, io);
      } catch (err) {
        throw toCliError(err);
      }
    },
  };
}

/** A server address that cannot be one is a usage error naming where it came from, before any request. */
function checkUrlOption(args: ParsedArgs, io: CliIo): void {
  const given = stringOption(args, 'url');
  const [source, url] = given !== undefined ? ['--url', given] : ['ALYX_URL', io.env.ALYX_URL];
  if (url === undefined) return;
  if (url.trim() === '') {
    if (given !== undefined) throw new UsageError('--url: give the server address, e.g. https://alyx.example.org');
    return;
  }
  const problem = alyxUrlProblem(url);
  if (problem !== undefined) throw new UsageError(`${source}: ${problem}`);
}

/** The core's option names (RegisterSessionOptions…) as typed on the command line. */
const FIELD_OPTIONS: Readonly<Record<string, string>> = {
  startTime: '--start-time', endTime: '--end-time', nTrials: '--n-trials', nCorrectTrials: '--n-correct-trials',
  maxMd5Size: '--max-md5-size', dateTime: '--date-time', date: '--date', lab: '--lab', users: '--users', user: '--user',
  session: '--session', sessionRoot: '--root', waterType: '--water-type',
};

/** An InvalidInputError's message with the core's field name replaced by the option a user typed. */
function withOptionNames(err: InvalidInputError): string {
  const option = FIELD_OPTIONS[err.field];
  if (option === undefined) return err.message;
  const { message, field } = err;
  if (message.startsWith(`${field} `) || message.startsWith(`${field}:`)) return option + message.slice(field.length);
  if (message.endsWith(`pass ${field}`)) return `${message.slice(0, -field.length)}${option}`;
  // A camelCase name is never an ordinary word of a message, so every mention is the field.
  return /[A-Z]/.test(field) ? message.replace(new RegExp(`\\b${field}\\b`, 'g'), option) : message;
}

export function toCliError(err: unknown): unknown {
  if (err instanceof CliError || err instanceof CancelledError) return err;
  if (err instanceof InvalidInputError) return new CliError(withOptionNames(err), EXIT.usage);
  if (err instanceof AlyxMemberNotFoundError || err instanceof AlyxFilterError || err instanceof AlyxNoUrlError || err instanceof AlyxSettingError || err instanceof DatasetTypeError) {
    return new CliError(err.message, EXIT.usage);
  }
  if (err instanceof UnsafeMoveError) return new CliError(`${err.message} (nothing was moved)`, EXIT.fileSystem);
  if (err instanceof AlyxAuthError) return new CliError(`${err.message} with 'alf login'`, EXIT.server);
  if (err instanceof AlyxHttpError) {
    const where = `HTTP ${err.status} from ${err.method} ${new URL(err.url).pathname}`;
    const hint = err.status === 403 && /credentials were not provided|Invalid token/.test(err.message) ? '; log in first with \'alf login\'' : '';
    return new CliError(`${err.message} (${where})${hint}`, EXIT.server);
  }
  if (err instanceof AlyxConnectionError) return new CliError(err.message, EXIT.server);
  return err;
}

async function connect(args: ParsedArgs, io: CliIo): Promise<Connection> {
  return connectAlyx({
    url: stringOption(args, 'url'),
    env: io.env,
    requestPassword: io.stdin.isTTY ? (user) => readHidden(io, `Alyx password for "${user}" (the saved token was refused): `) : undefined,
  });
}

async function registrationClient(conn: Connection, io: CliIo, args: ParsedArgs): Promise<RegistrationClient> {
  const quiet = flag(args, 'json');
  return RegistrationClient.create(conn.client, { signal: io.signal, log: (line) => !quiet && io.stderr.write(`${shown(line)}\n`) });
}

/**
 * A client for weighings and water administrations, which need no dataset types or data formats:
 * fetching them would only add requests that can fail (and be named in the error).
 */
function recordsClient(conn: Connection, io: CliIo, args: ParsedArgs): RegistrationClient {
  const quiet = flag(args, 'json');
  return new RegistrationClient(conn.client, { datasetTypes: [], dataFormats: [] }, { log: (line) => !quiet && io.stderr.write(`${shown(line)}\n`) });
}

function progressFor(io: CliIo): { bar: ProgressBar; onProgress: (e: Parameters<ProgressBar['update']>[0]) => void } {
  const bar = new ProgressBar(io.stderr);
  return { bar, onProgress: (e) => bar.update(e) };
}

function positionalCount(args: ParsedArgs, name: string, min: number, max: number, what: string): void {
  const n = args.positionals.length;
  if (n < min || n > max) throw new UsageError(`'alf ${name}' takes ${what} (see 'alf ${name} --help')`);
}

function parseAmount(text: string, field: string, unit: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim())) throw new UsageError(`${field} must be a number of ${unit}, not "${text}"`);
  return Number(text);
}

function printRequests(io: CliIo, requests: readonly PlannedRequest[]): void {
  for (const r of requests) {
    say(io, `${r.method} ${r.path}`);
    say(io, JSON.stringify(r.body, null, 2));
  }
}

function printSkipped(io: CliIo, skipped: readonly SkippedFile[]): void {
  if (!skipped.length) return;
  say(io, `Not registered (${skipped.length}):`);
  for (const s of skipped) {
    say(io, `  ${s.reason}: ${shown(s.message)}`);
    if (s.reason !== 'no-dataset-type') continue;
    say(io, s.closest?.length ? `    closest dataset types: ${shown(describeClosest(s.closest))}` : '    no dataset type comes close');
  }
  if (skipped.some((s) => s.reason === 'no-dataset-type')) say(io, addDatasetTypeHint());
}

/** `stopped`: the result of a registration that failed part-way (the count of sessions posted to is then not a count of successes). */
function printFilesResult(io: CliIo, result: RegisterFilesResult, stopped = false): void {
  if (result.dry) {
    say(io, 'Dry run: nothing was sent and nothing was moved. These requests would be sent:');
    printRequests(io, result.requests);
    for (const u of result.unchecked) say(io, `Protection not checked for ${shown(u.session)}: ${shown(u.reason)}`);
  } else {
    const registered = result.records.filter((r) => r !== null);
    const sessions = new Set(result.requests.map((r) => (r.body as { path?: string }).path)).size;
    say(io, stopped ? `Registered ${registered.length} file(s) before the error.` : `Registered ${registered.length} file(s) in ${sessions} session(s).`);
    for (const r of registered) say(io, `  ${shown(`${r.collection ? `${r.collection}/` : ''}${r.revision ? `#${r.revision}#/` : ''}${r.name}`)}  ${r.id}`);
  }
  printMoves(io, `${result.dry ? 'Would move' : 'Moved'} ${result.moves.length} protected file(s) into revision folders:`, result.moves);
  printMoves(io, `Moved ${result.movedBack.length} file(s) back out of revision folders after the server refused them:`, result.movedBack);
  printSkipped(io, result.skipped);
}

function printMoves(io: CliIo, title: string, moves: readonly FileMove[]): void {
  if (!moves.length) return;
  say(io, title);
  for (const m of moves) say(io, `  ${shown(m.from)} -> ${shown(m.to)}`);
}

function filesJson(result: RegisterFilesResult): unknown {
  return {
    dry: result.dry, records: result.records, skipped: result.skipped, moves: result.moves, movedBack: result.movedBack, requests: result.requests, unchecked: result.unchecked,
  };
}

// ------------------------------------------------- failures part-way through

/**
 * Runs a registration; when it fails after doing something (sessions created, files registered
 * or moved into revision folders), prints what it did before the error — in text on stdout, or
 * with `--json` as `{"error": {message, exitCode, moves, partial}}` — and fails with a message
 * that does not claim that nothing changed.
 */
async function reportingPartial<T>(io: CliIo, json: boolean, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const partial = partialRegistrationOf(err);
    const { message, exitCode } = describeError(toCliError(err));
    const done = partial ? doneSummary(partial) : '';
    const line = done ? `${withoutNothingChanged(message)}; done before it, and it stands: ${done} (${json ? 'see "partial" in the JSON on stdout' : 'listed above'})` : message;
    if (json) {
      writeJson(io, { error: { message: line, exitCode, moves: partial ? standingMovesOf(partial) : [], partial: partial ? partialJson(partial) : null } });
    } else if (partial && done) {
      say(io, 'Stopped by an error. Done before it (this stands):');
      printPartial(io, partial);
    }
    throw new CliError(line, exitCode);
  }
}

/** The error messages that say nothing changed speak of the step that failed, not of what came before. */
function withoutNothingChanged(message: string): string {
  return message.replace(/;? ?nothing was changed$/, '').replace(/ \(nothing was moved\)$/, ' (nothing was moved for that session)');
}

function doneSummary(partial: PartialRegistration): string {
  const files = filesResultsOf(partial);
  const registered = files.reduce((n, f) => n + f.records.filter((r) => r !== null).length, 0);
  const moved = standingMovesOf(partial).length;
  const movedBack = files.reduce((n, f) => n + f.movedBack.length, 0);
  const sessions = sessionResultsOf(partial).filter((r) => r.session !== null);
  const parts = [
    ...(sessions.length ? [`${sessions.length} session(s) created or updated`] : []),
    ...(registered ? [`${registered} file(s) registered`] : []),
    ...(moved ? [`${moved} file(s) moved into revision folders`] : []),
    ...(movedBack ? [`${movedBack} file(s) moved there and back`] : []),
  ];
  return parts.join(', ');
}

function sessionResultsOf(partial: PartialRegistration): RegisterSessionResult[] {
  if (partial.operation === 'registerSession') return [partial.result];
  if (partial.operation === 'createSessions') return partial.result.records.filter((r): r is RegisterSessionResult => r !== null);
  return [];
}

function partialJson(partial: PartialRegistration): unknown {
  switch (partial.operation) {
    case 'registerFiles':
      return { operation: partial.operation, ...(filesJson(partial.result) as object) };
    case 'registerSession':
      return { operation: partial.operation, ...(sessionJson(partial.result) as object) };
    case 'createSessions':
      return { operation: partial.operation, failedAt: partial.failedAt, ...(sessionsJson(partial.result, false) as object) };
  }
}

function printPartial(io: CliIo, partial: PartialRegistration): void {
  switch (partial.operation) {
    case 'registerFiles':
      printFilesResult(io, partial.result, true);
      return;
    case 'registerSession':
      printSessionResult(io, partial.result, true);
      return;
    case 'createSessions':
      printSessionsResult(io, partial.result, partial.failedAt);
  }
}

function printSessionResult(io: CliIo, result: RegisterSessionResult, stopped = false): void {
  say(io, `${result.created ? 'Created' : 'Updated'} session ${result.session?.url}`);
  if (result.files) printFilesResult(io, result.files, stopped);
}

/** `failedAt`: the folder whose session failed; its flag and the later ones are kept. */
function printSessionsResult(io: CliIo, result: CreateSessionsResult, failedAt?: string): void {
  if (!result.sessionPaths.length) say(io, 'No flagged session folders found.');
  const failed = failedAt === undefined ? -1 : result.sessionPaths.indexOf(failedAt);
  for (const [i, p] of result.sessionPaths.entries()) {
    const r = result.records[i];
    if (failed >= 0 && i >= failed && !r?.session) {
      say(io, `Not created (flag kept): ${shown(p)}`);
      continue;
    }
    say(io, r?.session ? `${r.created ? 'Created' : 'Updated'} ${r.session.url}  ${shown(p)}${i === failed ? '  (failed part-way; flag kept)' : ''}` : `Would create: ${shown(p)}`);
    if (r?.files) printFilesResult(io, r.files, i === failed);
  }
}

function sessionsJson(result: CreateSessionsResult, dry: boolean): unknown {
  return { dry, sessionPaths: result.sessionPaths, records: result.records.map((r) => r && sessionJson(r)) };
}

// ------------------------------------------------------------ reading secrets

/** Reads a line from the terminal without echo (raw mode), or fails clearly when there is no terminal. */
function readHidden(io: CliIo, prompt: string): Promise<string> {
  const stdin = io.stdin as NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => void };
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') {
    return Promise.reject(new UsageError('no terminal to ask the password on: pipe it with --password-stdin'));
  }
  io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err?: Error) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new CancelledError());
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** The first line of stdin (for `--password-stdin`). */
async function readFirstLine(io: CliIo): Promise<string> {
  let text = '';
  for await (const chunk of io.stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

async function readVisibleLine(io: CliIo, prompt: string): Promise<string> {
  io.stderr.write(prompt);
  return (await readFirstLine(io)).trim();
}

// ------------------------------------------------------------------ commands

const login = command({
  name: 'login',
  summary: 'log in to Alyx and save the token where Python ONE keeps it',
  usage: `Usage: alf login [--url URL] [--username USER] [--password-stdin] [--json]

Asks the password without echo (or reads its first line from stdin with --password-stdin;
never from an argument), gets a token with POST /auth-token and saves it, mode 0600, in
ONE's parameter file for the server (~/.one/.<server>), where Python ONE finds it too.

  --username USER   Alyx user (default: ALYX_LOGIN from ONE's parameters)
  --password-stdin  read the password from stdin
${COMMON_HELP}`,
  valueOptions: ['username'],
  known: ['username', 'password-stdin'],
  async body(args, io) {
    positionalCount(args, 'login', 0, 0, 'no arguments');
    const url = await resolveAlyxUrl(stringOption(args, 'url'), io.env);
    const saved = await readClientParams(url, io.env);
    let username = stringOption(args, 'username') ?? (typeof saved?.ALYX_LOGIN === 'string' ? saved.ALYX_LOGIN : undefined);
    if (!username) {
      if (!io.stdin.isTTY || flag(args, 'password-stdin')) throw new UsageError('no user: pass --username');
      username = await readVisibleLine(io, `Alyx user on ${url}: `);
      if (!username) throw new UsageError('no user given');
    }
    const password = flag(args, 'password-stdin') ? await readFirstLine(io) : await readHidden(io, `Alyx password for "${username}" on ${url}: `);
    if (!password) throw new UsageError('empty password');
    const { client, paramsFile } = await connectAlyx({ url, env: io.env });
    await client.login(username, password, { signal: io.signal });
    if (flag(args, 'json')) writeJson(io, { url, username, paramsFile });
    else say(io, `Logged in to ${url} as ${username}; token saved in ${paramsFile}`);
    return EXIT.ok;
  },
});

const logout = command({
  name: 'logout',
  summary: 'forget the saved Alyx token',
  usage: `Usage: alf logout [--url URL] [--username USER] [--json]

Removes the user's token from ONE's parameter file for the server (Python ONE is logged out too).
${COMMON_HELP}`,
  valueOptions: ['username'],
  known: ['username'],
  async body(args, io) {
    positionalCount(args, 'logout', 0, 0, 'no arguments');
    const url = await resolveAlyxUrl(stringOption(args, 'url'), io.env);
    const removed = await clearToken(url, stringOption(args, 'username'), io.env);
    const paramsFile = clientParamsFile(url, io.env);
    if (flag(args, 'json')) writeJson(io, { url, removed, paramsFile });
    else say(io, removed ? `Logged out of ${url} (token removed from ${paramsFile})` : `No saved token for ${url}; nothing to do`);
    return EXIT.ok;
  },
});

const createSession = command({
  name: 'create-session',
  summary: 'make the next SUBJECT/DATE/NNN folder and create its session on Alyx',
  usage: `Usage: alf create-session SUBJECT [--root DIR] [--date DATE] [--no-register] [--json]

Makes the next free numbered folder ROOT/SUBJECT/DATE/NNN (001, 002, …) and creates the session
on Alyx (ONE's create_new_session). The subject must exist on the server.

  --root DIR      where to make the folder (default: ONE's download folder for the server)
  --date DATE     session date, ISO 8601 (default: today)
  --no-register   only make the folder
${COMMON_HELP}`,
  valueOptions: ['root', 'date'],
  known: ['root', 'date', 'no-register'],
  async body(args, io) {
    positionalCount(args, 'create-session', 1, 1, 'one SUBJECT');
    const conn = await connect(args, io);
    const root = stringOption(args, 'root') ?? (await oneCacheDir(conn.url, io.env));
    if (!root) throw new UsageError(`no --root given and no ONE download folder is set up for ${conn.url}`);
    const rc = await registrationClient(conn, io, args);
    const made = await rc.createNewSession(args.positionals[0] as string, {
      sessionRoot: root, date: stringOption(args, 'date'), register: !flag(args, 'no-register'), signal: io.signal,
    });
    if (flag(args, 'json')) writeJson(io, { sessionPath: made.sessionPath, eid: made.eid, session: made.result?.session ?? null });
    else say(io, made.eid ? `Created ${shown(made.sessionPath)}\nSession ${made.eid} on ${conn.url}` : `Created ${shown(made.sessionPath)} (not registered)`);
    return EXIT.ok;
  },
});

const createSessions = command({
  name: 'create-sessions',
  summary: 'create the session of every folder holding a create_me.flag',
  usage: `Usage: alf create-sessions ROOT [--glob GLOB] [--register-files] [--dry-run] [--json]

Finds flag files under ROOT (default glob **/create_me.flag), creates (or updates) each folder's
session on Alyx, then deletes the flag. Every folder is checked before the first request.

  --glob GLOB        flag files to look for
  --register-files   also register each session's files
  --dry-run          list the sessions only; change nothing
${COMMON_HELP}`,
  valueOptions: ['glob'],
  known: ['glob', 'register-files', 'dry-run'],
  async body(args, io) {
    positionalCount(args, 'create-sessions', 1, 1, 'one ROOT folder');
    const root = args.positionals[0] as string;
    const globPattern = stringOption(args, 'glob');
    // Before connecting: a missing root or a misplaced flag needs nothing from the server.
    await findSessionFlags(root, globPattern);
    const conn = await connect(args, io);
    const rc = await registrationClient(conn, io, args);
    const { bar, onProgress } = progressFor(io);
    const json = flag(args, 'json');
    const result = await reportingPartial(io, json, () => rc.createSessions(root, {
      globPattern, registerFiles: flag(args, 'register-files'), dry: flag(args, 'dry-run'), signal: io.signal, onProgress,
    }).finally(() => bar.done()));
    if (json) writeJson(io, sessionsJson(result, flag(args, 'dry-run')));
    else printSessionsResult(io, result);
    return EXIT.ok;
  },
});

function sessionJson(r: RegisterSessionResult): unknown {
  return { session: r.session, created: r.created, request: r.request, files: r.files && filesJson(r.files) };
}

const registerSession = command({
  name: 'register-session',
  summary: 'create or update a session on Alyx from its folder and register its files',
  usage: `Usage: alf register-session PATH [options] [--dry-run] [--json]

PATH is a session folder, [LAB/Subjects/]SUBJECT/YYYY-MM-DD/NNN. The session with that subject,
date and number is created (or updated), then every file with a known extension and exactly one
dataset type is registered in one request. Files left out are listed with the reason. Protected
datasets are moved into a #YYYY-MM-DD# revision folder first, as ONE does; every move is listed.

  --users U,…          session users (default: you)
  --procedures P,…     e.g. "Behavior training/tasks"
  --projects P,…
  --task-protocol T
  --lab LAB            must match the LAB/Subjects folder if there is one
  --location L
  --start-time T       ISO 8601, on the folder's date (default: the date at 00:00)
  --end-time T         ISO 8601
  --n-trials N, --n-correct-trials N
  --no-files           create the session only
  --dry-run            print the exact request bodies; send and move nothing
${COMMON_HELP}`,
  valueOptions: ['users', 'procedures', 'projects', 'task-protocol', 'lab', 'location', 'start-time', 'end-time', 'n-trials', 'n-correct-trials'],
  known: ['users', 'procedures', 'projects', 'task-protocol', 'lab', 'location', 'start-time', 'end-time', 'n-trials', 'n-correct-trials', 'no-files', 'dry-run'],
  async body(args, io) {
    positionalCount(args, 'register-session', 1, 1, 'one session folder');
    const int = (key: string) => {
      const v = stringOption(args, key);
      if (v === undefined) return undefined;
      if (!/^\d+$/.test(v)) throw new UsageError(`--${key} must be a whole number, not "${v}"`);
      return Number(v);
    };
    const options = {
      users: listOption(args, 'users'), procedures: listOption(args, 'procedures'), projects: listOption(args, 'projects'),
      taskProtocol: stringOption(args, 'task-protocol'), lab: stringOption(args, 'lab'), location: stringOption(args, 'location'),
      startTime: stringOption(args, 'start-time'), endTime: stringOption(args, 'end-time'), nTrials: int('n-trials'), nCorrectTrials: int('n-correct-trials'),
      fileList: !flag(args, 'no-files'), dry: flag(args, 'dry-run'),
    };
    const sessionPath = args.positionals[0] as string;
    await requireSessionFolder(sessionPath); // before connecting: a wrong path needs nothing from the server
    const conn = await connect(args, io);
    const rc = await registrationClient(conn, io, args);
    const { bar, onProgress } = progressFor(io);
    const json = flag(args, 'json');
    const result = await reportingPartial(io, json, () => rc.registerSession(sessionPath, { ...options, signal: io.signal, onProgress }).finally(() => bar.done()));
    if (json) {
      writeJson(io, sessionJson(result));
      return EXIT.ok;
    }
    if (options.dry) {
      say(io, `Dry run: nothing was sent and nothing was moved. The session would be ${result.created ? 'created' : 'updated'}:`);
      printRequests(io, [result.request]);
      if (result.files) printFilesResult(io, result.files);
    } else {
      printSessionResult(io, result);
    }
    return EXIT.ok;
  },
});

const registerFiles = command({
  name: 'register-files',
  summary: 'register files with Alyx (one request per session)',
  usage: `Usage: alf register-files FILE… [options] [--dry-run] [--json]

Registers each file with its session (found from its path), with md5 and size, in one request
per session. Files that cannot be registered are listed with the reason (no session folder,
unknown extension, no or several dataset types) and make the exit code 1. Protected datasets
are moved into a new #YYYY-MM-DD# revision folder and registered there, as ONE does; every
move is listed. --dry-run predicts the moves without making them.

  --repository R        the data repository holding the files
  --server-only         only create file records on server (non-personal) repositories
  --no-exists           register the files as not yet present in the repository
  --max-md5-size BYTES  skip the md5 of files this large or larger
  --version V           version of the software that made the files (repeat to give one per file)
  --dry-run             print the exact request bodies; send and move nothing
${COMMON_HELP}`,
  valueOptions: ['repository', 'max-md5-size', 'version'],
  known: ['repository', 'server-only', 'no-exists', 'max-md5-size', 'version', 'dry-run'],
  async body(args, io) {
    if (!args.positionals.length) throw new UsageError("'alf register-files' needs at least one FILE (see 'alf register-files --help')");
    const maxText = stringOption(args, 'max-md5-size');
    if (maxText !== undefined && !/^\d+$/.test(maxText)) throw new UsageError(`--max-md5-size must be a number of bytes, not "${maxText}"`);
    const versions = listOption(args, 'version');
    await requireFiles(args.positionals); // before connecting: a missing file needs nothing from the server
    const conn = await connect(args, io);
    const rc = await registrationClient(conn, io, args);
    const { bar, onProgress } = progressFor(io);
    const json = flag(args, 'json');
    const result = await reportingPartial(io, json, () => rc.registerFiles(args.positionals, {
      repository: stringOption(args, 'repository') ?? null, serverOnly: flag(args, 'server-only'), exists: !flag(args, 'no-exists'),
      maxMd5Size: maxText === undefined ? null : Number(maxText), versions: versions && (versions.length === 1 ? versions[0] : versions),
      dry: flag(args, 'dry-run'), signal: io.signal, onProgress,
    }).finally(() => bar.done()));
    if (json) writeJson(io, filesJson(result));
    else printFilesResult(io, result);
    return result.skipped.length ? EXIT.problems : EXIT.ok;
  },
});

const checkProtected = command({
  name: 'check-protected',
  summary: 'tell whether files are protected datasets on Alyx',
  usage: `Usage: alf check-protected FILE… [--json]

Asks the server (GET /check-protected, one request per session) whether any of the files are
registered as protected datasets, listing each file's revisions. Exit code 1 if any is protected.
${COMMON_HELP}`,
  known: [],
  async body(args, io) {
    if (!args.positionals.length) throw new UsageError("'alf check-protected' needs at least one FILE");
    const conn = await connect(args, io);
    const rc = await registrationClient(conn, io, args);
    const { results, skipped } = await rc.checkProtectedFiles(args.positionals, undefined, { signal: io.signal });
    const anyProtected = results.some((r) => r.response.status_code === 403);
    if (flag(args, 'json')) {
      writeJson(io, { protected: anyProtected, sessions: results, skipped });
    } else {
      for (const r of results) {
        say(io, `${shown(r.path)}: ${r.response.status_code === 403 ? 'protected datasets found' : 'nothing protected'}`);
        if (Array.isArray(r.response.details)) {
          for (const d of r.response.details) {
            for (const [name, revisions] of Object.entries(d)) {
              const text = revisions.length ? revisions.map((rev) => Object.entries(rev).map(([k, v]) => `${k ? `#${k}#` : 'original'}${v ? ' (protected)' : ''}`).join('')).join(', ') : 'not registered';
              say(io, `  ${shown(name)}: ${shown(text)}`);
            }
          }
        }
      }
      printSkipped(io, skipped);
    }
    return anyProtected ? EXIT.problems : EXIT.ok;
  },
});

const weight = command({
  name: 'weight',
  summary: 'record a subject\'s weight (grams) on Alyx',
  usage: `Usage: alf weight SUBJECT GRAMS [--date-time T] [--user U] [--json]

Posts a weighing, rounded to 4 significant figures as ONE does.

  --date-time T   ISO 8601 (default: now)
  --user U        who weighed (default: you)
${COMMON_HELP}`,
  valueOptions: ['date-time', 'user'],
  known: ['date-time', 'user'],
  async body(args, io) {
    positionalCount(args, 'weight', 2, 2, 'SUBJECT and GRAMS');
    const [subject, grams] = args.positionals as [string, string];
    const amount = parseAmount(grams, 'GRAMS', 'grams');
    const conn = await connect(args, io);
    const rc = recordsClient(conn, io, args);
    const record = await rc.registerWeight(subject, amount, { dateTime: stringOption(args, 'date-time'), user: stringOption(args, 'user'), signal: io.signal });
    if (flag(args, 'json')) writeJson(io, record);
    else say(io, `Recorded ${record.weight} g for ${record.subject} at ${record.date_time} by ${record.user} (${record.url})`);
    return EXIT.ok;
  },
});

const water = command({
  name: 'water',
  summary: 'record a water administration (ml) on Alyx',
  usage: `Usage: alf water SUBJECT ML [--water-type T] [--session EID] [--adlib] [--date-time T] [--user U] [--json]

Posts a water administration, rounded to 4 significant figures as ONE does.

  --water-type T  a water type on the server (default: Water)
  --session EID   the session UUID (or its URL) to attach it to
  --adlib         water given ad libitum
  --date-time T   ISO 8601 (default: now)
  --user U        who gave it (default: you)
${COMMON_HELP}`,
  valueOptions: ['water-type', 'session', 'date-time', 'user'],
  known: ['water-type', 'session', 'adlib', 'date-time', 'user'],
  async body(args, io) {
    positionalCount(args, 'water', 2, 2, 'SUBJECT and ML');
    const [subject, ml] = args.positionals as [string, string];
    const amount = parseAmount(ml, 'ML', 'millilitres');
    const conn = await connect(args, io);
    const rc = recordsClient(conn, io, args);
    const record = await rc.registerWaterAdministration(subject, amount, {
      waterType: stringOption(args, 'water-type'), session: stringOption(args, 'session'), adlib: flag(args, 'adlib'),
      dateTime: stringOption(args, 'date-time'), user: stringOption(args, 'user'), signal: io.signal,
    });
    if (flag(args, 'json')) writeJson(io, record);
    else say(io, `Recorded ${record.water_administered} ml of ${record.water_type}${record.adlib ? ' (ad lib)' : ''} for ${record.subject} at ${record.date_time} by ${record.user} (${record.url})`);
    return EXIT.ok;
  },
});

export const alyxCommands: CliCommand[] = [login, logout, createSession, createSessions, registerSession, registerFiles, checkProtected, weight, water];
