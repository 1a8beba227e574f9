/**
 * A minimal FlatBuffers encoder: just enough to write one Arrow IPC Schema message.
 *
 * Tables are described as sparse arrays indexed by field id (the vtable slot). The layout is
 * written front to back: every table's vtable sits right before the table, and everything a
 * table refers to (strings, child tables, vectors) follows it, so all `uoffset`s point forward
 * as the format requires. Every scalar is aligned to its size relative to the buffer start,
 * which the FlatBuffers verifier (used by Arrow C++/pyarrow) checks.
 */

export type FbValue =
  | { t: 'bool'; v: boolean }
  | { t: 'u8'; v: number }
  | { t: 'i16'; v: number }
  | { t: 'i32'; v: number }
  | { t: 'i64'; v: bigint }
  | { t: 'string'; v: string }
  | { t: 'table'; v: FbTable }
  | { t: 'tables'; v: FbTable[] };

/** A table: index = field id; `undefined` = field absent (the reader sees the schema default). */
export type FbTable = (FbValue | undefined)[];

const INLINE_SIZE: Record<FbValue['t'], number> = { bool: 1, u8: 1, i16: 2, i32: 4, i64: 8, string: 4, table: 4, tables: 4 };
const utf8 = new TextEncoder();

class Buf {
  bytes = new Uint8Array(1024);
  view = new DataView(this.bytes.buffer);
  len = 0;
  reserve(n: number): number {
    const at = this.len;
    const need = at + n;
    if (need > this.bytes.length) {
      const next = new Uint8Array(Math.max(need, this.bytes.length * 2));
      next.set(this.bytes.subarray(0, this.len));
      this.bytes = next;
      this.view = new DataView(next.buffer);
    }
    this.len = need; // new bytes are zero: the array is zero-filled and never reused
    return at;
  }
  alignTo(align: number): void {
    const pad = (align - (this.len % align)) % align;
    if (pad) this.reserve(pad);
  }
}

/** Encodes `root` as a FlatBuffer (root uoffset first, no file identifier). */
export function encodeFlatbuffer(root: FbTable): Uint8Array {
  const b = new Buf();
  b.reserve(4);
  const rootPos = writeTable(b, root);
  b.view.setUint32(0, rootPos, true);
  return b.bytes.slice(0, b.len);
}

function writeTable(b: Buf, table: FbTable): number {
  const fields: { id: number; value: FbValue; size: number; at: number }[] = [];
  table.forEach((value, id) => {
    if (value) fields.push({ id, value, size: INLINE_SIZE[value.t], at: 0 });
  });
  // Largest first keeps every field naturally aligned once the table start is aligned.
  const byLayout = [...fields].sort((x, y) => y.size - x.size || x.id - y.id);
  let inline = 4; // the soffset to the vtable
  let maxAlign = 4;
  for (const f of byLayout) {
    inline = alignUp(inline, f.size);
    f.at = inline;
    inline += f.size;
    maxAlign = Math.max(maxAlign, f.size);
  }
  const slots = table.length;
  const vtableSize = 4 + 2 * slots;
  b.alignTo(2);
  const vtablePos = b.len;
  const tablePos = alignUp(vtablePos + vtableSize, maxAlign);
  b.reserve(tablePos - vtablePos + inline);
  b.view.setUint16(vtablePos, vtableSize, true);
  b.view.setUint16(vtablePos + 2, inline, true);
  for (const f of fields) b.view.setUint16(vtablePos + 4 + 2 * f.id, f.at, true);
  b.view.setInt32(tablePos, tablePos - vtablePos, true);
  for (const f of fields) {
    const at = tablePos + f.at;
    const { value } = f;
    switch (value.t) {
      case 'bool': b.view.setUint8(at, value.v ? 1 : 0); break;
      case 'u8': b.view.setUint8(at, value.v); break;
      case 'i16': b.view.setInt16(at, value.v, true); break;
      case 'i32': b.view.setInt32(at, value.v, true); break;
      case 'i64': b.view.setBigInt64(at, value.v, true); break;
      default: break; // references are patched below, once their target is written
    }
  }
  for (const f of fields) {
    const at = tablePos + f.at;
    const target = writeReferenced(b, f.value);
    if (target !== undefined) b.view.setUint32(at, target - at, true);
  }
  return tablePos;
}

function writeReferenced(b: Buf, value: FbValue): number | undefined {
  switch (value.t) {
    case 'string': {
      const bytes = utf8.encode(value.v);
      b.alignTo(4);
      const pos = b.reserve(4 + bytes.length + 1); // length, bytes, NUL
      b.view.setUint32(pos, bytes.length, true);
      b.bytes.set(bytes, pos + 4);
      return pos;
    }
    case 'table':
      return writeTable(b, value.v);
    case 'tables': {
      b.alignTo(4);
      const pos = b.reserve(4 + 4 * value.v.length);
      b.view.setUint32(pos, value.v.length, true);
      value.v.forEach((t, i) => {
        const slot = pos + 4 + 4 * i;
        const target = writeTable(b, t);
        b.view.setUint32(slot, target - slot, true);
      });
      return pos;
    }
    default:
      return undefined;
  }
}

function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}
