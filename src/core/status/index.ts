export { alyxStatus, sessionsUnder } from './status';
export type { StatusInput } from './status';
export { compareSessionFiles, datasetRelPath } from './compare';
export { StatusUnknownError } from './server-index';
export type { DatasetListRecord } from './server-index';
export { FILE_STATES } from './types';
export type { AlyxStatusOptions, AlyxStatusResult, FileState, FileStatus, LocalSession, SessionState, SessionStatus, UnknownKind } from './types';
export { MANY_SESSIONS, hasUnregistered, previewUnregistered, registerUnregistered, unregisteredOf } from './register-unregistered';
export type {
  MovesAnswer, RegisterUnregisteredOptions, RegisterUnregisteredResult, RegisteredFile, SessionPreview, SessionRegistration, UnregisteredPreview, UnregisteredSession,
} from './register-unregistered';
