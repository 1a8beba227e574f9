/**
 * Python ONE's local mode (`One(cache_dir, mode='local')`) over a cache folder: search sessions,
 * list a session's datasets, collections and revisions, and load ALF objects and datasets from
 * the files beside the cache. Semantics follow ONE 3.4.2 as measured
 * (shared/docs/one-search-semantics.md); deliberate differences are listed in docs/one-local.md.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type DatasetStore, listingOf, storeFromRows } from '../cache/dataset-store';
import { type SessionCodes, loadCacheTables } from '../cache/load';
import type { DatasetRow, SessionRow } from '../cache/types';
import type { DecodeOptions } from '../npy';
import { type AlfObject, assembleObject } from './alf-object';
import { type DatasetContent, loadFileContent } from './content';
import { OneError } from './errors';
import {
  type DatasetFilter,
  type DatasetParts,
  type GlobPattern,
  type ParsedDataset,
  datasetMatcher,
  filterRevisionLastBefore,
  parseDataset,
  uniqueSorted,
} from './filters';
import { compareCodePoints } from '../order';
import { type OneSearchTerms, type SearchDetails, type SearchOptions, type SearchQuery, type SessionIndex, buildSessionIndex, runSearch } from './search';
import { findSessionDir, sessionDirCandidates } from './session-paths';
import { ONE_SEARCH_TERMS, type OneSearchTerm } from './terms';
import { fnmatchToRegExp } from '../registration/fnmatch';
import { describe } from './values';

export interface OneLocalOptions {
  /** Where sessions.pqt and datasets.pqt are, when not in the cache folder (ONE's `tables_dir`). */
  tablesDir?: string;
}

export interface ListDatasetsOptions extends DatasetFilter {
  /** Return the dataset rows instead of their rel_paths. */
  details?: boolean;
  /**
   * Only the datasets the cache's `default_revision` column marks (ONE's `default_revisions_only`):
   * every marked row, with no other revision logic. A cache without the column (every cache built
   * from files) throws OneError 'no-default-revisions', as ONE raises ALFError.
   */
  defaultRevisionsOnly?: boolean;
}

export interface LoadObjectOptions extends Omit<DatasetParts, 'object'>, DecodeOptions {
  /** The collection, a shell pattern ('alf/probe0*'); needed when the object is in several. */
  collection?: GlobPattern;
  /** Read this revision, or the latest one before it (no patterns); default the latest. */
  revision?: string;
}

export interface LoadDatasetOptions extends DecodeOptions {
  collection?: GlobPattern;
  revision?: string;
  /** Gets ONE's warnings (no single default revision marked: the latest is read). */
  onWarning?: (message: string) => void;
}

export interface OpenTimings {
  /** Reading and decoding the two Parquet tables. */
  loadMs: number;
  /** Building the search index. */
  indexMs: number;
}

export class OneLocal {
  /** Filled by open(); zeros for fromTables(). */
  timings: OpenTimings = { loadMs: 0, indexMs: 0 };
  /** What loadCache converted from an older table layout (empty for current tables). */
  upgrades: string[] = [];
  /** One line when the tables' folder held a cache write killed part-way, undone before reading. */
  recovered: string | null = null;
  private readonly index: SessionIndex;
  private readonly parsedByEid = new Map<string, ParsedDataset[]>();
  private readonly dirs = new Map<string, string>();
  private readonly datasets: DatasetStore;
  /** The datasets table has Alyx's `default_revision` column: loads follow it, as ONE's do. */
  readonly hasDefaultRevision: boolean;

  private constructor(
    /** The data root: session folders are found under it. */
    readonly cacheDir: string,
    sessions: readonly SessionRow[],
    datasets: DatasetStore,
    sessionCodes?: SessionCodes,
  ) {
    this.index = buildSessionIndex(sessions, datasets, sessionCodes);
    this.datasets = datasets;
    this.hasDefaultRevision = datasets.hasDefaultRevision;
  }

  /** Reads the cache tables in `cacheDir` (or `options.tablesDir`) and indexes them. */
  static async open(cacheDir: string, options: OneLocalOptions = {}): Promise<OneLocal> {
    const t0 = performance.now();
    const tables = await loadCacheTables(options.tablesDir ?? cacheDir);
    const t1 = performance.now();
    const one = new OneLocal(cacheDir, tables.sessions, tables.datasets, tables.sessionCodes);
    one.timings = { loadMs: t1 - t0, indexMs: performance.now() - t1 };
    one.upgrades = tables.upgrades;
    one.recovered = tables.recovered;
    return one;
  }

  /** Over tables already in memory (e.g. from loadCache), with `cacheDir` as the data root. */
  static fromTables(cacheDir: string, tables: { sessions: readonly SessionRow[]; datasets: readonly DatasetRow[]; hasDefaultRevision?: boolean }): OneLocal {
    const hasDefault = tables.hasDefaultRevision ?? tables.datasets.some((d) => d.default_revision !== undefined);
    return new OneLocal(cacheDir, tables.sessions, storeFromRows(tables.datasets, hasDefault));
  }

  /** ONE's search term names (`one.search_terms()`). */
  searchTerms(): readonly OneSearchTerm[] {
    return ONE_SEARCH_TERMS;
  }

  /** Every session, in search-result order (date, subject, number, newest first). */
  get sessions(): readonly SessionRow[] {
    return this.index.sessions;
  }

  get datasetCount(): number {
    return this.datasets.length;
  }

  getSession(eid: string): SessionRow | undefined {
    return this.sessionOf(eid);
  }

  /** Distinct subjects, sorted (code point order), like ONE's `list_subjects`. */
  listSubjects(): string[] {
    return uniqueSorted(this.index.sessions.map((s) => s.subject));
  }

  /**
   * Session eids matching every term (ONE's `search`): text terms are case-sensitive Python
   * regexes searched anywhere in the value (a list: any of them); `datasets` must all be
   * present, each matching a whole file name; results newest first.
   */
  search(query: SearchQuery | OneSearchTerms, options: SearchOptions & { details: true }): SearchDetails;
  search(query?: SearchQuery | OneSearchTerms, options?: SearchOptions & { details?: false }): string[];
  search(query?: SearchQuery | OneSearchTerms, options?: SearchOptions): string[] | SearchDetails;
  search(query: SearchQuery | OneSearchTerms = {}, options: SearchOptions = {}): string[] | SearchDetails {
    if (typeof query !== 'object' || query === null || Array.isArray(query)) {
      throw new OneError('invalid-value', `search: expected an object of search terms, got ${describe(query)}`);
    }
    return runSearch(this.index, query, options);
  }

  /**
   * The session's datasets (ONE's `list_datasets`): rel_paths sorted in code point order, or the
   * rows with `details`. QC above FAIL is hidden unless `qc` says otherwise. An eid not in the
   * cache gives [] (as in ONE).
   */
  listDatasets(eid: string, options: ListDatasetsOptions & { details: true }): DatasetRow[];
  listDatasets(eid: string, options?: ListDatasetsOptions & { details?: false }): string[];
  listDatasets(eid: string, options?: ListDatasetsOptions): string[] | DatasetRow[];
  listDatasets(eid: string, options: ListDatasetsOptions = {}): string[] | DatasetRow[] {
    let all = this.parsed(eid);
    if (options.defaultRevisionsOnly) {
      if (!this.hasDefaultRevision) {
        throw new OneError(
          'no-default-revisions',
          "defaultRevisionsOnly: this cache's datasets table has no default_revision column (caches built from files have none; Alyx's have it), as ONE's ALFError 'No default revisions specified'; leave the option out to list every revision",
          'default_revisions_only',
        );
      }
      all = all.filter((d) => d.row.default_revision === true);
    }
    const sel = all.filter(datasetMatcher(options));
    sel.sort((a, b) => compareCodePoints(a.row.rel_path, b.row.rel_path));
    // only here are the wide columns (id, hash, file_size) read, and only for these rows
    return options.details ? this.datasets.rows(sel.map((d) => d.at)) : sel.map((d) => d.row.rel_path);
  }

  /** The session's collections ('' for files in the session folder itself), sorted. */
  listCollections(eid: string, options: DatasetFilter = {}): string[] {
    return uniqueSorted(this.parsed(eid).filter(datasetMatcher(options)).map((d) => d.parts.collection ?? ''));
  }

  /** The session's revisions without '#' ('' for datasets outside any revision folder), sorted. */
  listRevisions(eid: string, options: DatasetFilter = {}): string[] {
    return uniqueSorted(this.parsed(eid).filter(datasetMatcher(options)).map((d) => d.parts.revision ?? ''));
  }

  /** The session's folder on disk, or null when none of the usual places has it. */
  async sessionPath(eid: string): Promise<string | null> {
    const known = this.dirs.get(eid);
    if (known) return known;
    const s = this.sessionOf(eid);
    if (!s) return null;
    const dir = await findSessionDir(this.cacheDir, s);
    if (dir) this.dirs.set(eid, dir);
    return dir;
  }

  /**
   * All attributes of an ALF object (ONE's `load_object`): one revision per dataset, from one
   * collection: the one the cache's `default_revision` marks (the latest when the cache has no
   * such column, or with a warning when none or several are marked), or with `revision` the
   * latest at or before it.
   */
  async loadObject(eid: string, object: string, options: LoadObjectOptions = {}): Promise<AlfObject> {
    this.requireSession(eid);
    if (typeof object !== 'string' || object === '') throw new OneError('invalid-value', `object: expected an object name such as 'trials', got ${describe(object)}`, 'object');
    const revision = checkRevision(options.revision);
    const all = this.parsed(eid).filter(datasetMatcher({}));
    const { attribute, namespace, timescale, extra, extension } = options;
    const parts: DatasetParts = { object, attribute, namespace, timescale, extra, extension };
    const warnings: string[] = [];
    let sel = all.filter(datasetMatcher({ filename: parts, collection: options.collection }));
    sel = filterRevisionLastBefore(sel, { revision, hasDefaultColumn: this.hasDefaultRevision, assertUnique: false, warn: (w) => warnings.push(w) });
    if (sel.length === 0) {
      if (attribute !== undefined) this.missingAttribute(eid, all, { ...parts, attribute: undefined }, options, attribute);
      const objects = uniqueSorted(all.map((d) => d.parts.object as string));
      throw new OneError(
        'not-found',
        `ALF object "${object}" not found in session ${eid}${this.hiddenHint(eid, { filename: parts, collection: options.collection })}` +
          (objects.length ? ` (objects here: ${objects.join(', ')})` : ' (the session has no datasets)'),
        'object',
      );
    }
    const objects = uniqueSorted(sel.map((d) => d.parts.object as string));
    if (objects.length > 1) throw new OneError('multiple-objects', `"${object}" matches several objects: ${objects.join(', ')}; name one`, 'object');
    const collections = uniqueSorted(sel.map((d) => d.parts.collection ?? ''));
    if (collections.length > 1) {
      throw new OneError('multiple-collections', `object ${object} is in several collections: ${collections.map((c) => `"${c}"`).join(', ')}; pass collection`, 'collection');
    }
    sel.sort((a, b) => compareCodePoints(a.row.rel_path, b.row.rel_path));
    const files = await this.onDisk(eid, sel);
    if (files.length === 0) throw new OneError('not-on-disk', `ALF object "${object}" not found on disk: ${await this.missingWhere(eid, sel)}`, 'object');
    const obj = await assembleObject(eid, objects[0] as string, files, options);
    obj.warnings.unshift(...warnings);
    const revisions = uniqueSorted(sel.map((d) => d.parts.revision ?? ''));
    if (revisions.length > 1) obj.warnings.push(`multiple revisions: ${revisions.map((r) => `"${r}"`).join(', ')}`);
    return obj;
  }

  /**
   * One dataset's content (ONE's `load_dataset`). `dataset` is a file name pattern
   * ('_ibl_trials.intervals.npy', 'trials.intervals' — an extension is added to a two-part
   * name — or '*intervals*'), or a session-relative path ('alf/#2021-01-01#/x.y.npy'), which
   * must then come without `collection`/`revision`.
   */
  async loadDataset(eid: string, dataset: string, options: LoadDatasetOptions = {}): Promise<DatasetContent> {
    this.requireSession(eid);
    if (typeof dataset !== 'string' || dataset === '') throw new OneError('invalid-value', `dataset: expected a file name or relative path, got ${describe(dataset)}`, 'dataset');
    const revision = checkRevision(options.revision);
    const all = this.parsed(eid).filter(datasetMatcher({}));
    const name = dataset.split('.').length === 2 ? `${dataset}.*` : dataset;
    // ONE's assert_unique: a file name (not a relative path) must name one dataset, one default revision
    const assertUnique = !name.includes('/');
    let sel: ParsedDataset[];
    const filter: DatasetFilter = { filename: name, collection: options.collection };
    if (name.includes('/')) {
      if (options.collection !== undefined || options.revision !== undefined) {
        throw new OneError('invalid-value', 'collection and revision must not be given when dataset is a relative path; put them in the path or pass a file name', 'dataset');
      }
      const re = fnmatchToRegExp(name);
      sel = all.filter((d) => re.test(d.row.rel_path));
    } else {
      sel = all.filter(datasetMatcher(filter));
      const collections = uniqueSorted(sel.map((d) => d.parts.collection ?? ''));
      if (collections.length > 1) {
        throw new OneError('multiple-collections', `dataset "${dataset}" is in several collections: ${collections.map((c) => `"${c}"`).join(', ')}; pass collection`, 'collection');
      }
    }
    sel = filterRevisionLastBefore(sel, { revision, hasDefaultColumn: this.hasDefaultRevision, assertUnique, warn: options.onWarning });
    if (sel.length === 0) {
      const hint = name.includes('/') ? '' : this.hiddenHint(eid, filter);
      throw new OneError('not-found', `Dataset "${dataset}" not found in session ${eid}${hint}`, 'dataset');
    }
    if (sel.length > 1) {
      throw new OneError('multiple-objects', `"${dataset}" matches several datasets: ${sel.map((d) => d.row.rel_path).join(', ')}; be more specific`, 'dataset');
    }
    const files = await this.onDisk(eid, sel);
    if (files.length === 0) throw new OneError('not-on-disk', `Dataset "${dataset}" not found on disk: ${await this.missingWhere(eid, sel)}`, 'dataset');
    return loadFileContent((files[0] as { file: string }).file, options);
  }

  /**
   * When the object is there but no attribute matches `attribute`, says so (not that the object
   * is missing), with the attributes it has.
   */
  private missingAttribute(eid: string, all: readonly ParsedDataset[], parts: DatasetParts, options: LoadObjectOptions, attribute: GlobPattern): void {
    const ofObject = filterRevisionLastBefore(all.filter(datasetMatcher({ filename: parts, collection: options.collection })), {
      revision: checkRevision(options.revision),
      hasDefaultColumn: this.hasDefaultRevision,
      assertUnique: false,
    });
    if (ofObject.length === 0) return;
    const names = uniqueSorted(ofObject.map((d) => d.parts.attribute ?? '').filter((a) => a !== ''));
    const asked = (Array.isArray(attribute) ? attribute : [attribute]).map((a) => `"${String(a)}"`).join(', ');
    const objects = uniqueSorted(ofObject.map((d) => d.parts.object as string));
    throw new OneError(
      'not-found',
      `attribute ${asked} not found in ALF object "${objects.join('", "')}" of session ${eid}${this.hiddenHint(eid, { filename: { ...parts, attribute }, collection: options.collection })}` +
        ` (attributes: ${names.join(', ') || 'none'})`,
      'attribute',
    );
  }

  private sessionOf(eid: string): SessionRow | undefined {
    const k = this.index.position.get(eid);
    return k === undefined ? undefined : this.index.sessions[k];
  }

  private requireSession(eid: string): SessionRow {
    const s = typeof eid === 'string' ? this.sessionOf(eid) : undefined;
    if (!s) throw new OneError('session-not-found', `session ${describe(eid)} is not in the cache (search for it, or rebuild the cache)`, 'eid');
    return s;
  }

  private parsed(eid: string): ParsedDataset[] {
    let list = this.parsedByEid.get(eid);
    if (!list) {
      list = [];
      // the session's datasets are index.dsRow[dsStart[k] .. dsStart[k + 1]]; their listing
      // columns were read at open, so this reads nothing from the file
      const k = this.index.position.get(eid);
      if (k !== undefined) {
        for (let j = this.index.dsStart[k] as number; j < (this.index.dsStart[k + 1] as number); j++) {
          const at = this.index.dsRow[j] as number;
          const d = parseDataset(listingOf(this.datasets, at), at);
          if (d) list.push(d);
        }
      }
      this.parsedByEid.set(eid, list);
    }
    return list;
  }

  /** " (… hidden by their QC …)" when datasets above FAIL would have matched. */
  private hiddenHint(eid: string, filter: DatasetFilter): string {
    const critical = this.parsed(eid).filter(datasetMatcher({ ...filter, qc: 'CRITICAL' })).length;
    const shown = this.parsed(eid).filter(datasetMatcher(filter)).length;
    return critical > shown ? `; ${critical - shown} matching dataset(s) have QC CRITICAL and are hidden, as in ONE` : '';
  }

  private async onDisk(eid: string, sel: readonly ParsedDataset[]): Promise<{ dataset: ParsedDataset; file: string }[]> {
    const dir = await this.sessionPath(eid);
    if (!dir) return [];
    const found = await Promise.all(
      sel.map(async (d) => {
        const file = path.join(dir, ...d.row.rel_path.split('/'));
        try {
          return (await fs.stat(file)).isFile() ? { dataset: d, file } : null;
        } catch {
          return null;
        }
      }),
    );
    return found.filter((f): f is { dataset: ParsedDataset; file: string } => f !== null);
  }

  private async missingWhere(eid: string, sel: readonly ParsedDataset[]): Promise<string> {
    const dir = await this.sessionPath(eid);
    if (!dir) {
      const tried = sessionDirCandidates(this.cacheDir, this.sessionOf(eid) as SessionRow);
      return `no session folder (looked for ${tried.join(', ')}); open the cache from the folder it was built in`;
    }
    return `${sel.map((d) => path.join(dir, d.row.rel_path)).join(', ')} missing; download or restore them, or rebuild the cache`;
  }
}

function checkRevision(revision: unknown): string | undefined {
  if (revision === undefined || revision === null) return undefined;
  if (typeof revision !== 'string') throw new OneError('invalid-value', `revision: expected a revision name such as '2021-01-01', got ${describe(revision)}`, 'revision');
  return revision;
}
