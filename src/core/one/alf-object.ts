/**
 * An ALF object from its files, as ONE's `alfio.load_object` assembles it: one key per file,
 * `attribute`, `attribute_timescale`, plus `.extra` when there are extra parts
 * ('times_ephysClock.part1'); a `*.metadata*.json` beside a file names its columns; a `table`
 * attribute (`_ibl_trials.table.pqt`) is spread into one key per column (`x_0`/`x_1` pairs
 * joined into (n, 2)); (2, 2) `timestamps` are interpolated to one per sample.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { NpyArray } from '../npy';
import type { DecodeOptions } from '../npy';
import { npyColumn } from '../npy';
import { type DatasetContent, loadFileContent } from './content';
import { OneError } from './errors';
import type { ParsedDataset } from './filters';

export interface AlfObject {
  eid: string;
  object: string;
  /** The collection the files are in (null: the session folder itself). */
  collection: string | null;
  /** Attribute key → array, in C order (see NpyArray). */
  attributes: Record<string, NpyArray>;
  /** Keys whose content is not an array: JSON, metadata, formats not read here, empty files. */
  other: Record<string, DatasetContent>;
  /** The files read, absolute paths. */
  files: string[];
  /** What ONE would log as a warning: inconsistent dimensions, mixed revisions. */
  warnings: string[];
}

/** The key ONE gives a file: attribute[_timescale][.extra]. */
export function attributeKey(d: ParsedDataset): string {
  const p = d.parts;
  const base = p.timescale ? `${p.attribute}_${p.timescale}` : (p.attribute as string);
  return p.extra ? `${base}.${p.extra}` : base;
}

export interface ObjectFile {
  dataset: ParsedDataset;
  file: string;
}

export async function assembleObject(eid: string, object: string, files: readonly ObjectFile[], options: DecodeOptions = {}): Promise<AlfObject> {
  const keys = new Map<string, string>();
  for (const f of files) {
    const key = attributeKey(f.dataset);
    const twin = keys.get(key);
    if (twin) {
      throw new OneError(
        'multiple-objects',
        `multiple files give attribute "${key}" of object ${object}: ${twin}, ${f.dataset.row.rel_path}; restrict with namespace, timescale or extra`,
        'attribute',
      );
    }
    keys.set(key, f.dataset.row.rel_path);
  }
  const attributes: Record<string, NpyArray> = {};
  const other: Record<string, DatasetContent> = {};
  const listings = new Map<string, Promise<string[]>>();
  const metadataOf = async (file: string): Promise<string | null> => {
    const dir = path.dirname(file);
    let listing = listings.get(dir);
    if (!listing) {
      listing = fs.readdir(dir).then((n) => n.sort(), () => []);
      listings.set(dir, listing);
    }
    // ONE: glob(f'{ns}.{obj}*.metadata*.json') with ns, obj = the first two dot-separated pieces.
    const [a, b] = path.basename(file).split('.');
    const prefix = `${a}.${b}`;
    const hit = (await listing).find((n) => n.startsWith(prefix) && /\.metadata.*\.json$/.test(n.slice(prefix.length)));
    return hit ? path.join(dir, hit) : null;
  };
  const loaded = await Promise.all(
    files.map(async (f) => {
      const meta = await metadataOf(f.file);
      if (meta === f.file) return null; // a metadata file: read with the file it describes
      const content = await loadFileContent(f.file, options);
      const metaContent = meta ? await loadFileContent(meta) : null;
      return { key: attributeKey(f.dataset), content, meta: metaContent };
    }),
  );
  const warnings: string[] = [];
  let tableKey: string | undefined;
  let table: DatasetContent | undefined;
  for (const item of loaded) {
    if (!item) continue;
    const { key, content, meta } = item;
    if (content.kind === 'npy' && meta?.kind === 'json' && isRecord(meta.value) && Array.isArray(meta.value.columns)) {
      // The metadata names the columns: one key per column instead of the whole array.
      const { columns, ...rest } = meta.value;
      (columns as unknown[]).forEach((name, k) => (attributes[String(name)] = { ...content.array, shape: [content.array.shape[0] ?? 1], data: npyColumn(content.array, k) }));
      if (Object.keys(rest).length) other[`${key}metadata`] = { ...meta, value: rest };
      continue;
    }
    if (meta && !(meta.kind === 'json' && isRecord(meta.value) && Object.keys(meta.value).length === 0)) other[`${key}metadata`] = meta;
    if (/^table([_.]|$)/.test(key) && tableKey === undefined) {
      tableKey = key;
      table = content;
    } else if (content.kind === 'npy') attributes[key] = content.array;
    else other[key] = content;
  }
  if (tableKey !== undefined && table) spreadTable(tableKey, table, attributes, other);
  const status = checkDimensions(attributes);
  if (status) warnings.push(`inconsistent dimensions for object ${object}: ${status}`);
  else expandTimestamps(attributes);
  const first = files[0]?.dataset.parts;
  return { eid, object, collection: first?.collection ?? null, attributes, other, files: files.map((f) => f.file), warnings };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A table's columns as attributes. The table key's suffix ('_clock', '.extra') goes on each
 * column name, before a trailing _0/_1; then x_0/x_1 pairs become one (n, 2) array.
 */
function spreadTable(tableKey: string, table: DatasetContent, attributes: Record<string, NpyArray>, other: Record<string, DatasetContent>): void {
  if (table.kind !== 'table') {
    other[tableKey] = table;
    return;
  }
  const suffix = tableKey.slice(5);
  const rename = (field: string): string => (/^.+?_[01]$/.test(field) ? field.slice(0, -2) + suffix + field.slice(-2) : field + suffix);
  const cols: Record<string, NpyArray> = {};
  for (const [name, array] of Object.entries(table.columns)) cols[rename(name)] = array;
  const split = Object.keys(cols)
    .filter((k) => /^.+?_[01]$/.test(k))
    .sort();
  for (let j = 0; j + 1 < split.length; j += 2) {
    const a = cols[split[j] as string] as NpyArray;
    const b = cols[split[j + 1] as string] as NpyArray;
    if (a.dtype.name !== b.dtype.name || a.data.length !== b.data.length) continue;
    const n = a.data.length;
    const Ctor = a.data.constructor as { new (n: number): NpyArray['data'] };
    const data = new Ctor(2 * n);
    const o = data as unknown as { [i: number]: number | bigint };
    for (let i = 0; i < n; i++) {
      o[2 * i] = a.data[i] as number | bigint;
      o[2 * i + 1] = b.data[i] as number | bigint;
    }
    delete cols[split[j] as string];
    delete cols[split[j + 1] as string];
    cols[(split[j] as string).slice(0, -2)] = { dtype: a.dtype, shape: [n, 2], data };
  }
  Object.assign(attributes, cols);
  for (const [name, values] of Object.entries(table.otherColumns)) other[rename(name)] = { kind: 'json', path: table.path, value: values };
}

/**
 * ONE's `check_dimensions`: the first dimensions must all be equal or 1 ('timestamps' keys
 * aside). Returns a description of the shapes when they are not, else ''.
 */
function checkDimensions(attributes: Record<string, NpyArray>): string {
  const firsts: number[] = [];
  for (const [k, a] of Object.entries(attributes)) {
    if (k.startsWith('timestamps')) {
      if (a.shape.length === 1 || (a.shape.length === 2 && a.shape[1] === 1)) firsts.push(a.shape[0] as number);
      else if (a.shape.length > 1 && !(a.shape[0] === 2 && a.shape[1] === 2 && a.shape.length === 2)) return describeShapes(attributes);
    } else if (a.shape.length > 0) firsts.push(a.shape[0] as number);
  }
  if (firsts.length === 0) return '';
  const max = Math.max(...firsts);
  return firsts.every((d) => d === max || d === 1) ? '' : describeShapes(attributes);
}

function describeShapes(attributes: Record<string, NpyArray>): string {
  return Object.entries(attributes)
    .map(([k, a]) => `${k} (${a.shape.join(', ')})`)
    .join(', ');
}

/** (2, 2) timestamps [[sample, time], [sample, time]] → one time per sample (ONE's `ts2vec`). */
function expandTimestamps(attributes: Record<string, NpyArray>): void {
  const keys = Object.keys(attributes);
  const stamps = keys.filter((k) => k.includes('timestamps'));
  if (stamps.length === 0 || keys.length <= stamps.length) return;
  const ref = keys.find((k) => !k.includes('timestamps') && !k.includes('meta'));
  const n = ref === undefined ? undefined : (attributes[ref] as NpyArray).shape[0];
  if (n === undefined) return;
  for (const k of stamps) {
    const a = attributes[k] as NpyArray;
    if (a.shape.length === 2 && a.shape[1] === 1) attributes[k] = { ...a, shape: [a.shape[0] as number] };
    if (!(a.shape.length === 2 && a.shape[0] === 2 && a.shape[1] === 2)) continue;
    const v = Array.from(a.data as ArrayLike<number | bigint>, Number);
    const [x0, y0, x1, y1] = v as [number, number, number, number];
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      // np.interp: clamped to the end values outside [x0, x1].
      out[i] = i <= x0 ? y0 : i >= x1 ? y1 : y0 + ((i - x0) * (y1 - y0)) / (x1 - x0);
    }
    attributes[k] = { dtype: { name: 'float64', descr: '<f8', kind: 'f', itemSize: 8, littleEndian: true }, shape: [n], data: out };
  }
}
