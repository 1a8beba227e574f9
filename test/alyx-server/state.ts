/** The test server's data: plain arrays, so tests can inspect and change them directly. */
import { randomUUID } from 'node:crypto';

export interface ServerUser {
  username: string;
  password: string;
  id: number;
}

export interface ServerRepository {
  name: string;
  /** Personal (lab) servers are left out with `server_only`. */
  globus_is_personal: boolean;
  hostname: string;
}

export interface ServerLab {
  name: string;
  repositories: string[];
  /** The lab's water-control thresholds (Alyx's defaults are 0: no expected weight). */
  reference_weight_pct?: number;
  zscore_weight_pct?: number;
}

export interface ServerSubject {
  id: string;
  nickname: string;
  lab: string;
  responsible_user: string;
  projects: string[];
}

export interface ServerDatasetType {
  id: string;
  name: string;
  filename_pattern: string;
  description: string;
  created_by: string | null;
}

export interface ServerDataFormat {
  id: string;
  name: string;
  file_extension: string;
  description: string;
}

export interface ServerSession {
  id: string;
  subject: string;
  users: string[];
  lab: string | null;
  number: number | null;
  start_time: string | null;
  end_time: string | null;
  type: string | null;
  task_protocol: string;
  procedures: string[];
  projects: string[];
  location: string | null;
  n_trials: number | null;
  n_correct_trials: number | null;
  json: unknown;
  narrative: string;
}

export interface ServerFileRecord {
  id: string;
  data_repository: string;
  relative_path: string;
  exists: boolean;
}

export interface ServerDataset {
  id: string;
  session: string;
  name: string;
  collection: string;
  /** '' for the original (no revision). */
  revision: string;
  dataset_type: string;
  data_format: string;
  hash: string;
  file_size: number | null;
  version: string;
  default_dataset: boolean;
  qc: number;
  /** Stands for a protected tag on the dataset. */
  protected: boolean;
  created_by: string;
  created_datetime: string;
  file_records: ServerFileRecord[];
}

export interface ServerRevision {
  name: string;
  /** Creation order; newer revisions have larger values. */
  created: number;
}

export interface ServerWeighing {
  id: string;
  subject: string;
  date_time: string;
  weight: number;
  user: string;
}

export interface ServerWaterAdministration {
  id: string;
  subject: string;
  date_time: string;
  water_administered: number;
  water_type: string;
  user: string;
  adlib: boolean;
  session: string | null;
}

/** A water restriction (`actions.WaterRestriction`): `reference_weight` 0 means "the last weighing before it". */
export interface ServerWaterRestriction {
  id: string;
  subject: string;
  start_time: string;
  end_time: string | null;
  reference_weight: number;
}

/** The part of a surgery water control reads: its implant weight (grams), if any. */
export interface ServerSurgery {
  id: string;
  subject: string;
  start_time: string;
  implant_weight: number | null;
}

export interface ServerState {
  users: ServerUser[];
  /** token → username */
  tokens: Map<string, string>;
  labs: ServerLab[];
  repositories: ServerRepository[];
  subjects: ServerSubject[];
  projects: Array<{ name: string }>;
  /** Procedure types (`GET /procedures`); a session's `procedures` must name them. */
  procedures: Array<{ id: string; name: string; description: string; json: null }>;
  datasetTypes: ServerDatasetType[];
  dataFormats: ServerDataFormat[];
  waterTypes: Array<{ name: string }>;
  sessions: ServerSession[];
  datasets: ServerDataset[];
  revisions: ServerRevision[];
  weighings: ServerWeighing[];
  waterAdministrations: ServerWaterAdministration[];
  waterRestrictions: ServerWaterRestriction[];
  surgeries: ServerSurgery[];
}

export interface SeedOptions {
  users?: Array<{ username: string; password: string }>;
  labs?: ServerLab[];
  repositories?: ServerRepository[];
  subjects?: Array<Partial<ServerSubject> & { nickname: string; lab: string }>;
  datasetTypes?: Array<{ name: string; filename_pattern: string; description?: string }>;
  dataFormats?: Array<{ name: string; file_extension: string }>;
  waterTypes?: string[];
  procedures?: string[];
}

export const DEFAULT_USERS = [
  { username: 'test_user', password: 'test-password-1' },
  { username: 'olivier', password: 'test-password-2' },
];

const DEFAULT_REPOSITORIES: ServerRepository[] = [
  { name: 'flatiron_cortexlab', globus_is_personal: false, hostname: 'ibl.flatironinstitute.org' },
  { name: 'cortexlab_SR', globus_is_personal: true, hostname: 'cortexlab.local' },
  { name: 'flatiron_mainenlab', globus_is_personal: false, hostname: 'ibl.flatironinstitute.org' },
  { name: 'mainenlab_SR', globus_is_personal: true, hostname: 'mainenlab.local' },
];

const DEFAULT_LABS: ServerLab[] = [
  { name: 'cortexlab', repositories: ['flatiron_cortexlab', 'cortexlab_SR'], reference_weight_pct: 0.8, zscore_weight_pct: 0 },
  { name: 'mainenlab', repositories: ['flatiron_mainenlab', 'mainenlab_SR'], reference_weight_pct: 0.8, zscore_weight_pct: 0 },
];

const DEFAULT_SUBJECTS: Array<Partial<ServerSubject> & { nickname: string; lab: string }> = [
  { nickname: 'algernon', lab: 'cortexlab', responsible_user: 'test_user' },
  { nickname: 'KS005', lab: 'cortexlab', responsible_user: 'test_user' },
  { nickname: 'ZM_1085', lab: 'mainenlab', responsible_user: 'olivier' },
];

/**
 * A slice of a real server's 218 dataset types: fnmatch patterns (`*trials.intervals*.*`), and
 * empty patterns matched on `object.attribute`.
 */
export const DEFAULT_DATASET_TYPES: Array<{ name: string; filename_pattern: string; description?: string }> = [
  { name: 'trials.intervals', filename_pattern: '*trials.intervals*.*' },
  { name: 'trials.choice', filename_pattern: '*trials.choice.*' },
  { name: 'trials.feedbackType', filename_pattern: '*trials.feedbackType.*' },
  { name: 'trials.table', filename_pattern: '*trials.table.*' },
  { name: 'wheel.position', filename_pattern: '' },
  { name: 'wheel.timestamps', filename_pattern: '' },
  { name: 'wheel.velocity', filename_pattern: '' },
  { name: 'spikes.times', filename_pattern: '' },
  { name: 'spikes.clusters', filename_pattern: '' },
  { name: 'clusters.amps', filename_pattern: '' },
  { name: 'camera.times', filename_pattern: '*Camera.times*' },
  { name: '_iblrig_Camera.raw', filename_pattern: '_iblrig_*Camera.raw.*' },
  { name: '_iblrig_taskData.raw', filename_pattern: '_iblrig_taskData.raw.*' },
  { name: '_iblrig_taskSettings.raw', filename_pattern: '_iblrig_taskSettings.raw.*' },
  { name: 'ephysData.raw.ap', filename_pattern: '*.ap.*bin' },
  { name: 'ephysData.raw.meta', filename_pattern: '*.ap.meta' },
];

export const DEFAULT_DATA_FORMATS = [
  { name: 'npy', file_extension: '.npy' },
  { name: 'csv', file_extension: '.csv' },
  { name: 'tsv', file_extension: '.tsv' },
  { name: 'ssv', file_extension: '.ssv' },
  { name: 'json', file_extension: '.json' },
  { name: 'jsonable', file_extension: '.jsonable' },
  { name: 'pqt', file_extension: '.pqt' },
  { name: 'mp4', file_extension: '.mp4' },
  { name: 'bin', file_extension: '.bin' },
  { name: 'cbin', file_extension: '.cbin' },
  { name: 'meta', file_extension: '.meta' },
];

export function createState(seed: SeedOptions = {}): ServerState {
  const users = (seed.users ?? DEFAULT_USERS).map((u, i) => ({ ...u, id: i + 1 }));
  return {
    users,
    tokens: new Map(),
    labs: structuredClone(seed.labs ?? DEFAULT_LABS),
    repositories: structuredClone(seed.repositories ?? DEFAULT_REPOSITORIES),
    subjects: (seed.subjects ?? DEFAULT_SUBJECTS).map((s) => ({
      id: s.id ?? randomUUID(), nickname: s.nickname, lab: s.lab, responsible_user: s.responsible_user ?? users[0]?.username ?? '', projects: s.projects ?? [],
    })),
    projects: [{ name: 'ibl_neuropixel_brainwide_01' }, { name: 'practice' }],
    procedures: (seed.procedures ?? ['Behavior training/tasks', 'Ephys recording with acute probe(s)', 'Handling/habituation', 'Imaging']).map((name) => ({
      id: randomUUID(), name, description: '', json: null,
    })),
    datasetTypes: (seed.datasetTypes ?? DEFAULT_DATASET_TYPES).map((d) => ({
      id: randomUUID(), name: d.name, filename_pattern: d.filename_pattern, description: d.description ?? '', created_by: null,
    })),
    dataFormats: (seed.dataFormats ?? DEFAULT_DATA_FORMATS).map((f) => ({ id: randomUUID(), name: f.name, file_extension: f.file_extension, description: '' })),
    waterTypes: (seed.waterTypes ?? ['Water', 'Water 10% Sucrose', 'Hydrogel']).map((name) => ({ name })),
    sessions: [],
    datasets: [],
    revisions: [],
    weighings: [],
    waterAdministrations: [],
    waterRestrictions: [],
    surgeries: [],
  };
}
