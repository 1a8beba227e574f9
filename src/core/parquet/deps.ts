/**
 * Lazy loaders for the ESM-only Parquet libraries (hyparquet, hyparquet-writer, hyparquet-compressors).
 *
 * The project compiles to CommonJS (the extension host and the CLI bundle are CJS), and TypeScript
 * refuses static `import` of an ES module from a CommonJS file, so every use goes through a cached
 * dynamic `import()`. esbuild inlines these modules into the bundle all the same.
 */
import type * as HyparquetModule from 'hyparquet' with { 'resolution-mode': 'import' };
import type * as CompressorsModule from 'hyparquet-compressors' with { 'resolution-mode': 'import' };
import type * as ByteWriterModule from 'hyparquet-writer/src/bytewriter.js' with { 'resolution-mode': 'import' };
import type * as RleModule from 'hyparquet-writer/src/encoding.js' with { 'resolution-mode': 'import' };
import type * as ThriftModule from 'hyparquet-writer/src/thrift.js' with { 'resolution-mode': 'import' };
import type * as ColumnModule from 'hyparquet/src/column.js' with { 'resolution-mode': 'import' };
import type * as DataPageModule from 'hyparquet/src/datapage.js' with { 'resolution-mode': 'import' };
import type * as EncodingModule from 'hyparquet/src/encoding.js' with { 'resolution-mode': 'import' };

export type Hyparquet = typeof HyparquetModule;
export type { AsyncBuffer, ColumnMetaData, FileMetaData, SchemaElement, SchemaTree, Compressors } from 'hyparquet' with { 'resolution-mode': 'import' };

/** The low-level pieces of hyparquet-writer the Parquet writer reuses. */
export interface WriterPrimitives {
  ByteWriter: typeof ByteWriterModule.ByteWriter;
  ThriftStruct: typeof ThriftModule.ThriftStruct;
  serializeTCompactProtocol: typeof ThriftModule.serializeTCompactProtocol;
  writeRleBitPackedHybrid: typeof RleModule.writeRleBitPackedHybrid;
}

/** hyparquet's page-level pieces, for the typed reader (read-typed.ts). */
export interface PageDecoders {
  parquetHeader: typeof ColumnModule.parquetHeader;
  decompressPage: typeof DataPageModule.decompressPage;
  readRleBitPackedHybrid: typeof EncodingModule.readRleBitPackedHybrid;
}

let hyparquet: Promise<Hyparquet> | undefined;
let pageDecoders: Promise<PageDecoders> | undefined;
let compressors: Promise<typeof CompressorsModule.compressors> | undefined;
let writer: Promise<WriterPrimitives> | undefined;

export function loadHyparquet(): Promise<Hyparquet> {
  return (hyparquet ??= import('hyparquet'));
}

export function loadPageDecoders(): Promise<PageDecoders> {
  return (pageDecoders ??= Promise.all([import('hyparquet/src/column.js'), import('hyparquet/src/datapage.js'), import('hyparquet/src/encoding.js')]).then(([c, d, e]) => ({
    parquetHeader: c.parquetHeader,
    decompressPage: d.decompressPage,
    readRleBitPackedHybrid: e.readRleBitPackedHybrid,
  })));
}

/** Decompressors for every codec: gzip, brotli, zstd, lz4 (hyparquet lacks them) and a WebAssembly snappy. */
export function loadCompressors(): Promise<typeof CompressorsModule.compressors> {
  return (compressors ??= import('hyparquet-compressors').then((m) => m.compressors));
}

export function loadWriterPrimitives(): Promise<WriterPrimitives> {
  return (writer ??= Promise.all([
    import('hyparquet-writer/src/bytewriter.js'),
    import('hyparquet-writer/src/thrift.js'),
    import('hyparquet-writer/src/encoding.js'),
  ]).then(([b, t, e]) => ({
    ByteWriter: b.ByteWriter,
    ThriftStruct: t.ThriftStruct,
    serializeTCompactProtocol: t.serializeTCompactProtocol,
    writeRleBitPackedHybrid: e.writeRleBitPackedHybrid,
  })));
}
