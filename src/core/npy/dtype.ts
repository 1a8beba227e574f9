/**
 * NumPy dtypes the reader supports, from the `descr` string of an `.npy` header ('<f8', '|b1').
 * Anything else (complex, strings, datetimes, objects) is refused by `parseDescr` with a reason.
 */
import { endianness } from 'node:os';

export type NpyDtypeName =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'float16'
  | 'float32'
  | 'float64';

export interface NpyDtype {
  readonly name: NpyDtypeName;
  /** The header's descr, e.g. '<f8'. */
  readonly descr: string;
  /** 'b' bool, 'i' signed, 'u' unsigned, 'f' float (NumPy's `dtype.kind`). */
  readonly kind: 'b' | 'i' | 'u' | 'f';
  /** Bytes per element in the file. */
  readonly itemSize: number;
  /** Byte order of the data in the file (true for one-byte types). */
  readonly littleEndian: boolean;
}

export const HOST_LITTLE_ENDIAN = endianness() === 'LE';

const NAMES: Record<string, NpyDtypeName> = {
  b1: 'bool',
  i1: 'int8',
  i2: 'int16',
  i4: 'int32',
  i8: 'int64',
  u1: 'uint8',
  u2: 'uint16',
  u4: 'uint32',
  u8: 'uint64',
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
};

/** Why a descr is refused: a code for NpyError and the reason/hint to show. */
export interface DescrProblem {
  code: 'pickled' | 'unsupported-dtype';
  reason: string;
  hint: string;
}

const UNSUPPORTED_KIND: Record<string, string> = {
  c: 'complex numbers',
  U: 'Unicode strings',
  S: 'byte strings',
  a: 'byte strings',
  V: 'raw void records',
  M: 'datetime64 values',
  m: 'timedelta64 values',
};

/** The dtype for a descr string, or the problem with it. */
export function parseDescr(descr: string): NpyDtype | DescrProblem {
  let order = descr[0];
  let code = descr;
  if (order === '<' || order === '>' || order === '|' || order === '=') code = descr.slice(1);
  else order = '=';
  if (code === '?') code = 'b1';
  const name = NAMES[code];
  if (name) {
    const itemSize = Number(code.slice(1));
    const littleEndian = itemSize === 1 || order === '<' || ((order === '=' || order === '|') && HOST_LITTLE_ENDIAN);
    return { name, descr, kind: code[0] as NpyDtype['kind'], itemSize, littleEndian };
  }
  const kind = code[0] ?? '';
  if (kind === 'O') {
    return {
      code: 'pickled',
      reason: 'an array of Python objects (dtype |O), stored with pickle',
      hint: 'pickled data cannot be read safely outside Python; save it as a numeric array, or as .json/.pqt',
    };
  }
  const what = UNSUPPORTED_KIND[kind];
  return {
    code: 'unsupported-dtype',
    reason: what ? `dtype ${descr} (${what}) is not supported` : `unknown dtype ${JSON.stringify(descr)}`,
    hint: 'supported: bool, int8-64, uint8-64, float16/32/64; convert the array with numpy (e.g. arr.astype(np.float64)) and save it again',
  };
}

export function isDescrProblem(d: NpyDtype | DescrProblem): d is DescrProblem {
  return 'code' in d;
}
