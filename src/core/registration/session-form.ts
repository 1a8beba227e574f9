/**
 * What the registration forms start from, as plain data: the files of a session folder as the
 * Register Session form lists them (read with the core's walk, as a cache build reads them), the
 * dataset type each would be registered as or why not, and each form's starting values.
 */
import * as path from 'node:path';
import { walk } from '../cache/walk';
import { compareCodePoints } from '../order';
import type { AlyxRecordFormValues, RegisterSessionFormValues } from './forms';
import { formDateTimeText } from './forms';
import type { SkippedFile } from './types';

/** One file of the session as the form lists it. */
export interface SessionFileRow {
  /** Relative to the session folder, posix. */
  rel: string;
  /** The dataset type it would be registered as, or null when skipped. */
  datasetType: string | null;
  /** Why it would not be registered. */
  skipped?: string;
  /** Skipped for want of a dataset type: the types that come closest (name and filename pattern). */
  closest?: Array<{ name: string; filename_pattern: string }>;
  size: number;
}

/**
 * Every file below the session folder, hidden ones too (the form says why they are skipped),
 * sorted by path. Links are followed and loops reported as the cache walk does; an entry that
 * cannot be read is listed with the reason, not left out.
 */
export async function listSessionFileRows(sessionPath: string, options: { signal?: AbortSignal; sliceMs?: number } = {}): Promise<SessionFileRow[]> {
  const rows: SessionFileRow[] = [];
  await walk(
    sessionPath,
    {
      file: (rel, stat) => rows.push({ rel, datasetType: null, size: stat.size }),
      problem: (p) => rows.push({ rel: p.isFolder ? `${p.path}/` : p.path, datasetType: null, size: 0, skipped: p.reason }),
    },
    { signal: options.signal, ...(options.sliceMs !== undefined ? { sliceMs: options.sliceMs } : {}) },
  );
  return rows.sort((a, b) => compareCodePoints(a.rel, b.rel));
}

/** What the registration client found in the session (`RegistrationClient.scanSession`), with session-relative paths. */
export interface SessionScan {
  /** Registrable files → their dataset type. */
  datasetTypes: ReadonlyMap<string, string>;
  /** ALF-named files it leaves out → why. */
  skipped: ReadonlyMap<string, string>;
  /** Files with no dataset type → the types that come closest. */
  closest?: ReadonlyMap<string, Array<{ name: string; filename_pattern: string }>>;
}

/**
 * Fills in each row's dataset type, or why it is skipped. Without a scan (the server did not
 * answer) no dataset type is known. Rows that already say why (unreadable entries) keep it.
 */
export function describeSessionFiles(rows: readonly SessionFileRow[], scan: SessionScan | null): SessionFileRow[] {
  return rows.map((row) => {
    if (row.skipped !== undefined) return row;
    if (!scan) return { ...row, skipped: 'dataset type unknown until the server answers' };
    const datasetType = scan.datasetTypes.get(row.rel);
    if (datasetType) return { ...row, datasetType };
    const closest = scan.closest?.get(row.rel);
    return { ...row, skipped: scan.skipped.get(row.rel) ?? 'not an ALF dataset name (object.attribute.extension)', ...(closest ? { closest } : {}) };
  });
}

/** A registration client's scan (absolute paths) keyed by session-relative path; a skip's message without its leading "path: ". */
export function sessionScanOf(
  sessionPath: string,
  scan: { files: readonly string[]; skipped: readonly SkippedFile[] },
  datasetTypeOf: (file: string) => string,
): SessionScan {
  const rel = (file: string) => path.relative(sessionPath, file).split(path.sep).join('/');
  return {
    datasetTypes: new Map(scan.files.map((f) => [rel(f), datasetTypeOf(f)])),
    skipped: new Map(scan.skipped.map((s) => [rel(s.file), s.message.replace(/^.*?: /, '')])),
    closest: new Map(scan.skipped.flatMap((s) => (s.closest ? [[rel(s.file), s.closest] as const] : []))),
  };
}

/** The Register Session form's starting values: the logged-in user, and every file that has a dataset type ticked. */
export function registerSessionFormDefaults(username: string, rows: readonly SessionFileRow[]): RegisterSessionFormValues {
  return {
    users: username ? [username] : [],
    startTime: '',
    endTime: '',
    procedures: [],
    projects: [],
    taskProtocol: '',
    location: '',
    nTrials: '',
    nCorrectTrials: '',
    json: '',
    files: rows.filter((r) => r.datasetType).map((r) => r.rel),
    repository: '',
    serverOnly: false,
    maxHashMb: '',
  };
}

/** The Register Weight / Water form's starting values: now, the logged-in user, and "Water" when the server has that type. */
export function alyxRecordFormDefaults(
  kind: AlyxRecordFormValues['kind'],
  from: { subject?: string; user: string; waterTypes: readonly string[] | null; now?: Date },
): AlyxRecordFormValues {
  return {
    kind,
    subject: from.subject ?? '',
    amount: '',
    dateTime: formDateTimeText(from.now ?? new Date()),
    user: from.user,
    waterType: from.waterTypes?.includes('Water') ? 'Water' : (from.waterTypes?.[0] ?? 'Water'),
    session: '',
    adlib: false,
  };
}
