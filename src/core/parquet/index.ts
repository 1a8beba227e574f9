/** The Parquet layer: reading any Parquet file, writing ONE's cache tables. See docs/parquet.md. */
export { ParquetReadError, ParquetWriteError, type ParquetReadErrorCode } from './errors';
export { readParquet, readParquetColumns, daysToIsoDate, type ParquetColumnInfo, type ParquetColumns, type ParquetTable, type ReadParquetOptions } from './read';
export { encodeParquet, compareUtf8, type EncodeParquetOptions, type ParquetColumnInput, type ParquetColumnType } from './writer';
export { encodeArrowSchema, encodeArrowSchemaMessage, type ArrowField, type ArrowType } from './arrow-schema';
export {
  DATASETS_COLUMNS, SESSIONS_COLUMNS, INDEX_COLUMNS,
  encodeDatasetsTable, encodeSessionsTable, formatDateCreated, isoDateToDays, oneMetadataJson, pandasMetadataJson,
  type OneTableName, type OneTableOptions,
} from './one-tables';
export { pythonJsonDumps } from './python-json';
