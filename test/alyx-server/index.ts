export { startAlyxServer } from './server';
export type { AlyxServerOptions, AlyxTestServer, Injection, LoggedRequest } from './server';
export { DEFAULT_DATASET_TYPES, DEFAULT_DATA_FORMATS, DEFAULT_USERS, createState } from './state';
export type { ServerDataset, ServerSession, ServerState } from './state';
