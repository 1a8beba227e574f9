export { AlyxClient, alyxUrlProblem } from './client';
export type { AlyxClientOptions, HttpMethod, ListOptions, Page, RequestOptions, RestAction, RestOptions } from './client';
export { AlyxAuthError, AlyxConnectionError, AlyxFilterError, AlyxHttpError, errorMessageFromBody } from './errors';
export { KNOWN_LIST_FILTERS, filtersToQuery, validateFilters } from './filters';
export type { FilterValue, Filters } from './filters';
export { DEFAULT_RETRY_POLICY, RETRYABLE_STATUSES, parseRetryAfter } from './retry';
export type { RetryPolicy } from './retry';
export {
  PARAMS_DIR_ENV, cachedToken, clearToken, clientKey, clientParamsFile, defaultClientUrl, oneCacheDir, oneParamsDir,
  readClientParams, saveToken,
} from './params';
export type { OneClientParams } from './params';
export { AlyxNoUrlError, AlyxSettingError, RETRY_DELAY_ENV, connectAlyx, resolveAlyxUrl } from './connect';
export type { ConnectOptions, Connection } from './connect';
export { uuidFromUrl } from './records';
export type {
  CheckProtectedResponse, DataFormatRecord, DatasetTypeRecord, FileRecordSummary, ProtectionDetail, RegisteredDataset,
  SessionRecord, SubjectRecord, UserRecord, WaterAdministrationRecord, WeighingRecord,
} from './records';
