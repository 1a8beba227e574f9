export { RegistrationClient } from './client';
export { nextNumFolder } from './session-folders';
export { registerWaterAdministration, registerWeight } from './weights-water';
export type { CheckProtectedResult, PreparedFiles, RegistrationCatalogue, RegistrationClientOptions, SessionFiles } from './client';
export { DatasetTypeError, getDatasetType } from './dataset-type';
export type { DatasetTypeLike } from './dataset-type';
export { addDatasetTypeHint, closestDatasetTypes, describeClosest } from './dataset-type-closest';
export type { ClosestDatasetType } from './dataset-type-closest';
export {
  AlyxMemberNotFoundError, InvalidInputError, MovesDeclinedError, UnsafeMoveError, filesResultsOf, partialRegistrationOf, standingMovesOf,
} from './errors';
export type { PartialRegistration } from './errors';
export { fnmatchToRegExp } from './fnmatch';
export { findSessionFlags, requireFiles, requireFolder, requireSessionFolder } from './local-checks';
export { Md5Memo, md5Files } from './md5';
export { ensureIso8601 } from './iso8601';
export type { FileMove } from './moves';
export { nextRevision, revisionTarget } from './revision';
export type { ProtectionInfo } from './revision';
export { roundSignificant } from './significant';
export type {
  CreateNewSessionOptions, CreateSessionsResult, CreateSessionsOptions, PlannedRequest, RegisterFileBody, RegisterFilesOptions, RegisterFilesResult,
  RegisterSessionOptions, RegisterSessionResult, SkipReason, SkippedFile, WaterAdministrationOptions, WeightOptions,
} from './types';
