/**
 * The `.npy` header: magic, version, header length, then a Python dict literal such as
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }` (NEP 1 / numpy.lib.format).
 * Versions 1.0 (2-byte length, latin-1), 2.0 (4-byte length, latin-1), 3.0 (4-byte length, UTF-8).
 */
import { type NpyDtype, isDescrProblem, parseDescr } from './dtype';
import { NpyError } from './errors';

export type NpyVersion = '1.0' | '2.0' | '3.0';

export interface NpyHeader {
  version: NpyVersion;
  dtype: NpyDtype;
  /** [] for a 0-d array. */
  shape: number[];
  /** True when the file stores the array in Fortran (column-major) order. */
  fortranOrder: boolean;
  /** Number of elements: the product of `shape` (1 for a 0-d array). */
  count: number;
  /** Byte offset of the first data byte in the file. */
  dataOffset: number;
  /** Data bytes the header promises: count × itemSize. */
  byteLength: number;
  /** Size of the file (or buffer) in bytes. */
  fileSize: number;
  /** True when the file is shorter than dataOffset + byteLength. */
  truncated: boolean;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy refuses headers above 10,000 bytes unless told otherwise; allow more, but not without bound. */
export const MAX_HEADER_BYTES = 1 << 20;
const RESAVE = 'save it again with numpy.save';

/** Where the header text lies, from the first 12 bytes (fewer when the file is shorter). */
export function readPreamble(bytes: Uint8Array, file: string): { version: NpyVersion; textStart: number; textLength: number } {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    const hint = bytes.length === 0 ? 'the file is empty' : 'is it really a NumPy .npy file? (.npz archives are not supported)';
    throw new NpyError(file, 'not-npy', 'not an NPY file (no \\x93NUMPY magic)', hint);
  }
  const major = bytes[6] as number;
  const minor = bytes[7] as number;
  const version = `${major}.${minor}`;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (version === '1.0') return { version, textStart: 10, textLength: dv.getUint16(8, true) };
  if (version === '2.0' || version === '3.0') {
    if (bytes.length < 12) throw new NpyError(file, 'truncated', 'truncated inside the header', RESAVE);
    return { version, textStart: 12, textLength: dv.getUint32(8, true) };
  }
  throw new NpyError(file, 'unsupported-version', `NPY format version ${version} is not supported (only 1.0, 2.0 and 3.0)`, 'save it with a current numpy');
}

/** The header from the bytes at the start of a file; `bytes` must hold the whole header. */
export function parseHeader(bytes: Uint8Array, file: string, fileSize: number): NpyHeader {
  const pre = readPreamble(bytes, file);
  const dataOffset = pre.textStart + pre.textLength;
  if (bytes.length < dataOffset) throw new NpyError(file, 'truncated', 'truncated inside the header', RESAVE);
  const raw = bytes.subarray(pre.textStart, dataOffset);
  const text = new TextDecoder(pre.version === '3.0' ? 'utf-8' : 'latin1').decode(raw);
  const dict = parseDict(text, file);
  const keys = Object.keys(dict).sort().join(',');
  if (keys !== 'descr,fortran_order,shape') {
    throw new NpyError(file, 'bad-header', `header keys are ${keys || 'missing'}, expected descr, fortran_order and shape`, RESAVE);
  }
  const { descr, fortran_order: fortran, shape } = dict as Record<string, PyValue>;
  if (Array.isArray(descr)) {
    throw new NpyError(file, 'structured', 'a structured array (record dtype with named fields) is not supported', 'save each field as its own .npy file (one ALF attribute each), or use a .pqt table');
  }
  if (typeof descr !== 'string') throw new NpyError(file, 'bad-header', 'descr is not a string', RESAVE);
  const dtype = parseDescr(descr);
  if (isDescrProblem(dtype)) throw new NpyError(file, dtype.code, dtype.reason, dtype.hint);
  if (typeof fortran !== 'boolean') throw new NpyError(file, 'bad-header', 'fortran_order is not True or False', RESAVE);
  if (!isTuple(shape) || !shape.items.every((d) => (typeof d === 'number' || typeof d === 'bigint') && d >= 0)) {
    throw new NpyError(file, 'bad-header', 'shape is not a tuple of non-negative integers', RESAVE);
  }
  const shapeShown = `(${shape.items.join(', ')}${shape.items.length === 1 ? ',' : ''})`;
  const tooLarge = () =>
    new NpyError(file, 'bad-header', `shape ${shapeShown} is too large: ${dtype.itemSize}-byte values of that shape need more bytes than any file can hold`, 'the header is damaged; save the array again with numpy.save');
  if (shape.items.some((d) => typeof d === 'bigint')) throw tooLarge();
  const dims = shape.items as number[];
  const count = dims.reduce((a, b) => a * b, 1);
  const byteLength = count * dtype.itemSize;
  if (!Number.isSafeInteger(byteLength)) throw tooLarge();
  return {
    version: pre.version,
    dtype,
    shape: dims,
    fortranOrder: fortran,
    count,
    dataOffset,
    byteLength,
    fileSize,
    truncated: fileSize < dataOffset + byteLength,
  };
}

// ---- a Python literal parser, just enough for NPY headers -----------------------------------

interface PyTuple {
  tuple: true;
  items: PyValue[];
}
/** Integers beyond 2^53 stay exact as bigint, so a message can show them as written. */
type PyValue = string | number | bigint | boolean | null | PyValue[] | PyTuple | { [key: string]: PyValue };

function isTuple(v: PyValue | undefined): v is PyTuple {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as PyTuple).tuple === true;
}

function parseDict(text: string, file: string): Record<string, PyValue> {
  const p = new LiteralParser(text, file);
  const v = p.value();
  p.end();
  if (typeof v !== 'object' || v === null || Array.isArray(v) || isTuple(v)) {
    throw new NpyError(file, 'bad-header', 'the header is not a Python dict', RESAVE);
  }
  return v;
}

/**
 * How deep a header's brackets may nest. A real header nests 2 levels ({…: (…)}), a nested
 * structured dtype a few more; a bound keeps a damaged or hostile header from exhausting the
 * stack, and Python's own parser stops at 200 nested brackets too.
 */
export const MAX_HEADER_NESTING = 64;

class LiteralParser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly s: string,
    private readonly file: string,
  ) {}

  private fail(what: string): never {
    throw new NpyError(this.file, 'bad-header', `unreadable header (${what} at character ${this.i}: ${JSON.stringify(this.s.slice(0, 120))})`, RESAVE);
  }

  private skip(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i] as string)) this.i++;
  }

  end(): void {
    this.skip();
    if (this.i !== this.s.length) this.fail('unexpected text');
  }

  value(): PyValue {
    this.skip();
    const c = this.s[this.i];
    if (c === '{' || c === '(' || c === '[') {
      if (this.depth >= MAX_HEADER_NESTING) {
        throw new NpyError(this.file, 'bad-header', `the header nests brackets more than ${MAX_HEADER_NESTING} deep (at character ${this.i}), which no real .npy file does`, 'the file is damaged or was not written by numpy; save it again with numpy.save');
      }
      this.depth++;
      const v: PyValue = c === '{' ? this.dict() : c === '(' ? { tuple: true, items: this.sequence(')') } : this.sequence(']');
      this.depth--;
      return v;
    }
    if (c === "'" || c === '"') return this.string();
    const m = /^(?:True|False|None|[-+]?\d+L?)/.exec(this.s.slice(this.i, this.i + 40));
    if (!m) this.fail('unexpected character');
    this.i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    const digits = m[0].replace(/L$/, '');
    const n = Number(digits);
    return Number.isSafeInteger(n) ? n : BigInt(digits);
  }

  private dict(): Record<string, PyValue> {
    this.i++;
    const out: Record<string, PyValue> = {};
    for (;;) {
      this.skip();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      const key = this.value();
      if (typeof key !== 'string') this.fail('dict key is not a string');
      this.skip();
      if (this.s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      out[key] = this.value();
      this.skip();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') this.fail("expected ',' or '}'");
    }
  }

  private sequence(close: string): PyValue[] {
    this.i++;
    const items: PyValue[] = [];
    for (;;) {
      this.skip();
      if (this.s[this.i] === close) {
        this.i++;
        return items;
      }
      items.push(this.value());
      this.skip();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) this.fail(`expected ',' or '${close}'`);
    }
  }

  private string(): string {
    const quote = this.s[this.i++];
    let out = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i++] as string;
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.i++];
      if (e === 'n') out += '\n';
      else if (e === 't') out += '\t';
      else if (e === 'x' || e === 'u') {
        const n = e === 'x' ? 2 : 4;
        const hex = this.s.slice(this.i, this.i + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) this.fail('bad escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += n;
      } else if (e !== undefined) out += e;
    }
    return this.fail('unterminated string');
  }
}
