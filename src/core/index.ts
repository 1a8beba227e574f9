/**
 * The bundled core (`alf-workbench/core`): ALF grammar, cache scan/build/read, Parquet I/O,
 * Alyx client and registration. Plain Node; nothing here imports `vscode`.
 */
export * from './alf';
export * from './progress';
export type * from './cache/types';
export { QC_NAMES } from './cache/types';
export { CACHE_ID_NAMESPACE, datasetId, sessionId, uuid3 } from './cache/ids';
export { scanTree, type ScanOptions } from './cache/scan';
export { buildCache, BuildInputError, OutputNotWritableError, DATASETS_TABLE, SESSIONS_TABLE, type BuildOptions, type BuildResult } from './cache/build';
export { updateCache, type UpdateOptions, type UpdateResult } from './cache/update';
export { loadCache } from './cache/load';
export { writeCacheTables } from './cache/tables';
export { hashFiles, type HashOptions, type HashOutcome } from './cache/hash';
export { walk, WalkRootError, type WalkOptions, type WalkProblem, type WalkVisitor } from './cache/walk';
export { readParquet, ParquetReadError, ParquetWriteError, type ParquetTable, type ParquetColumnInfo } from './parquet';
export * from './alyx';
export * from './registration';
export * from './one';
export * from './npy';
export * from './status';
