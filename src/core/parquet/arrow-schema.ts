/**
 * The `ARROW:schema` footer entry pyarrow writes and reads: base64 of one Arrow IPC encapsulated
 * Schema message (0xFFFFFFFF, int32 metadata length, FlatBuffer `Message{Schema}`, zero padding to
 * 8 bytes; no body, no end-of-stream marker). Encoded with the small FlatBuffer writer in
 * ./flatbuffer.ts instead of bundling apache-arrow (see docs/parquet.md for the sizes).
 *
 * Field ids and enum values follow Arrow's format/Schema.fbs and format/Message.fbs.
 */
import { encodeFlatbuffer, type FbTable } from './flatbuffer';

export type ArrowType =
  | { type: 'utf8' }
  | { type: 'bool' }
  | { type: 'date32' }
  | { type: 'int'; bitWidth: 8 | 16 | 32 | 64; signed: boolean }
  /** dictionary<indices, utf8> */
  | { type: 'dictionary-utf8'; indexBitWidth: 8 | 16 | 32 | 64; ordered: boolean; id?: number };

export interface ArrowField {
  name: string;
  type: ArrowType;
  nullable: boolean;
}

// Type union members (Schema.fbs `union Type`)
const TYPE_INT = 2;
const TYPE_UTF8 = 5;
const TYPE_BOOL = 6;
const TYPE_DATE = 8;
const DATE_UNIT_DAY = 0; // NB the schema default is MILLISECOND, so DAY is always written
const METADATA_V5 = 4;
const HEADER_SCHEMA = 1;
const ENDIANNESS_LITTLE = 0;

const keyValues = (metadata: [string, string][]): FbTable[] =>
  metadata.map(([key, value]) => [{ t: 'string', v: key }, { t: 'string', v: value }]);

const intTable = (bitWidth: number, signed: boolean): FbTable => [{ t: 'i32', v: bitWidth }, { t: 'bool', v: signed }];

function fieldTable(f: ArrowField): FbTable {
  let typeId: number;
  let typeTable: FbTable;
  let dictionary: FbTable | undefined;
  const t = f.type;
  switch (t.type) {
    case 'utf8': typeId = TYPE_UTF8; typeTable = []; break;
    case 'bool': typeId = TYPE_BOOL; typeTable = []; break;
    case 'date32': typeId = TYPE_DATE; typeTable = [{ t: 'i16', v: DATE_UNIT_DAY }]; break;
    case 'int': typeId = TYPE_INT; typeTable = intTable(t.bitWidth, t.signed); break;
    case 'dictionary-utf8':
      typeId = TYPE_UTF8; // a dictionary field carries the VALUE type; the indices go in `dictionary`
      typeTable = [];
      // DictionaryEncoding { id: long, indexType: Int, isOrdered: bool, dictionaryKind: short }
      dictionary = [{ t: 'i64', v: BigInt(t.id ?? 0) }, { t: 'table', v: intTable(t.indexBitWidth, true) }, { t: 'bool', v: t.ordered }];
      break;
  }
  // Field { name, nullable, type_type, type, dictionary, children, custom_metadata }
  return [
    { t: 'string', v: f.name },
    { t: 'bool', v: f.nullable },
    { t: 'u8', v: typeId },
    { t: 'table', v: typeTable },
    dictionary && { t: 'table', v: dictionary },
    { t: 'tables', v: [] }, // Arrow C++ rejects a Field whose children vector is missing
  ];
}

/** The encapsulated IPC Schema message bytes. */
export function encodeArrowSchemaMessage(fields: ArrowField[], metadata: [string, string][]): Uint8Array {
  // Schema { endianness, fields, custom_metadata, features }
  const schema: FbTable = [
    { t: 'i16', v: ENDIANNESS_LITTLE },
    { t: 'tables', v: fields.map(fieldTable) },
    metadata.length ? { t: 'tables', v: keyValues(metadata) } : undefined,
  ];
  // Message { version, header_type, header, bodyLength, custom_metadata }
  const fb = encodeFlatbuffer([
    { t: 'i16', v: METADATA_V5 },
    { t: 'u8', v: HEADER_SCHEMA },
    { t: 'table', v: schema },
  ]);
  const padded = Math.ceil((8 + fb.length) / 8) * 8 - 8;
  const out = new Uint8Array(8 + padded);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xffffffff, true); // continuation marker
  view.setInt32(4, padded, true);
  out.set(fb, 8);
  return out;
}

/** Base64 of the message, the value pyarrow stores under `ARROW:schema`. */
export function encodeArrowSchema(fields: ArrowField[], metadata: [string, string][]): string {
  return Buffer.from(encodeArrowSchemaMessage(fields, metadata)).toString('base64');
}
