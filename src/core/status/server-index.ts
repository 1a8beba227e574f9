/**
 * What Alyx holds for whole subjects, asked with the list filters of `/sessions` (`subject`,
 * `date_range`) and `/datasets` (`subject`): the number of requests grows with the subjects
 * (and pages), never with sessions or files. Each subject is asked once per run.
 */
import type { AlyxClient } from '../alyx/client';
import { AlyxAuthError, AlyxConnectionError, AlyxHttpError } from '../alyx/errors';
import type { SessionRecord } from '../alyx/records';
import { uuidFromUrl } from '../alyx/records';
import { CancelledError } from '../progress';
import type { Slicer } from './slices';
import type { UnknownKind } from './types';

/** A dataset as `/datasets` lists it (only the fields compared). */
export interface DatasetListRecord {
  id: string;
  name: string;
  collection: string | null;
  revision: string | null;
  hash: string | null;
  file_size: number | null;
  /** 0/1 on a real server. */
  protected?: boolean | number;
  created_datetime?: string;
  /** The session's URL. */
  session: string;
  file_records?: Array<{ data_repository: string; relative_path: string; exists: boolean }>;
  [key: string]: unknown;
}

export interface SubjectAnswer {
  sessions: SessionRecord[];
  /** Datasets by session UUID (only fetched when a local session is on the server). */
  datasets: Map<string, DatasetListRecord[]>;
}

export class StatusUnknownError extends Error {
  override readonly name = 'StatusUnknownError';
  constructor(readonly kind: UnknownKind, message: string) {
    super(message);
  }
  /** Logged out and unreachable hold for every subject: no point asking about the next one. */
  get global(): boolean {
    return this.kind !== 'http-error';
  }
}

/** Page size asked for: the most a server gives, so a subject usually takes one page per list. */
const PAGE_SIZE = 1000;

export class SubjectFetcher {
  readonly #answers = new Map<string, Promise<SubjectAnswer>>();
  readonly #queue: Array<() => void> = [];
  #running = 0;
  #fatal: StatusUnknownError | undefined;

  constructor(
    private readonly client: AlyxClient,
    private readonly concurrency: number,
    private readonly signal?: AbortSignal,
    /** The run's time slices: a page of a thousand datasets is sorted into sessions in them, not in one turn. */
    private readonly slicer?: Slicer,
  ) {}

  /** Sessions of `subject` between `from` and `to` (inclusive), and the datasets of those wanted. Asked once per subject. */
  subject(subject: string, from: string, to: string, wanted: (sessions: SessionRecord[]) => boolean): Promise<SubjectAnswer> {
    let answer = this.#answers.get(subject);
    if (!answer) {
      answer = this.#slot(() => this.#fetch(subject, from, to, wanted));
      this.#answers.set(subject, answer);
    }
    return answer;
  }

  async #fetch(subject: string, from: string, to: string, wanted: (sessions: SessionRecord[]) => boolean): Promise<SubjectAnswer> {
    if (this.#fatal) throw this.#fatal;
    try {
      const sessions = await this.client.listAll<SessionRecord>('sessions', { subject, date_range: `${from},${to}` }, { signal: this.signal, pageSize: PAGE_SIZE });
      const datasets = new Map<string, DatasetListRecord[]>();
      if (sessions.length && wanted(sessions)) {
        // `/sessions` matches the nickname case-insensitively, `/datasets` exactly: ask with the server's spelling.
        const nickname = String(sessions[0]?.subject ?? subject);
        for await (const d of this.client.list<DatasetListRecord>('datasets', { subject: nickname }, { signal: this.signal, pageSize: PAGE_SIZE })) {
          await this.slicer?.pause();
          const eid = uuidFromUrl(String(d.session ?? '')).toLowerCase();
          let list = datasets.get(eid);
          if (!list) datasets.set(eid, (list = []));
          list.push(comparedFields(d));
        }
      }
      return { sessions, datasets };
    } catch (err) {
      const unknown = unknownOf(err, this.client.baseUrl);
      if (!unknown) throw err;
      if (unknown.global) this.#fatal ??= unknown;
      throw unknown;
    }
  }

  /** Forgets a subject's answer once nothing will ask for it again in this run, so the heap does not keep every subject's datasets to the end. */
  forget(subject: string): void {
    this.#answers.delete(subject);
  }

  /** Runs `work` when fewer than `concurrency` are running, so at most that many requests are in flight. */
  #slot<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.#running += 1;
        work().then(resolve, reject).finally(() => {
          this.#running -= 1;
          this.#queue.shift()?.();
        });
      };
      if (this.#running < this.concurrency) start();
      else this.#queue.push(start);
    });
  }
}

/** Turns a server failure into the reason a session's state is unknown; undefined for anything else (a bug, a cancel). */
export function unknownOf(err: unknown, url: string): StatusUnknownError | undefined {
  if (err instanceof StatusUnknownError) return err;
  if (err instanceof CancelledError) return undefined;
  if (err instanceof AlyxAuthError) return new StatusUnknownError('logged-out', `logged out of ${url}: ${err.message}`);
  if (err instanceof AlyxHttpError && err.status === 403 && /credentials were not provided|Invalid token/i.test(err.message)) {
    return new StatusUnknownError('logged-out', `logged out of ${url}: ${err.message} Log in again`);
  }
  if (err instanceof AlyxConnectionError) return new StatusUnknownError('unreachable', `server unreachable: ${err.message}`);
  if (err instanceof AlyxHttpError) return new StatusUnknownError('http-error', `HTTP error: ${err.describe()}`);
  return undefined;
}

/**
 * A listed dataset with only what the comparison reads: a real Alyx record has some twenty
 * fields (URLs, users, tags, QC …), and the datasets of a subject are kept until its last
 * session is compared. Fields the server left out stay left out.
 */
function comparedFields(d: DatasetListRecord): DatasetListRecord {
  const out: DatasetListRecord = { id: d.id, name: d.name, collection: d.collection, revision: d.revision, hash: d.hash, file_size: d.file_size, session: d.session };
  for (const key of ['collection', 'revision', 'hash', 'file_size'] as const) if (!(key in d)) delete out[key];
  if (d.protected !== undefined) out.protected = d.protected;
  if (d.created_datetime !== undefined) out.created_datetime = d.created_datetime;
  if (d.file_records !== undefined) {
    out.file_records = d.file_records.map((r) => ({ data_repository: r.data_repository, relative_path: r.relative_path, exists: r.exists }));
  }
  return out;
}
