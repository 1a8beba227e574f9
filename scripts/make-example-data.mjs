#!/usr/bin/env node
// Writes a small, deterministic ALF data tree for the demo, the tests and the benchmark:
//   <lab>/Subjects/<subject>/<yyyy-mm-dd>/<NNN>/alf/_ibl_trials.<attribute>.npy
// with real NPY v1.0 float64 files. --messy adds the mistakes labs really make, and prints
// (or writes with --manifest) what it added, so tests can check that every one is reported.
import { mkdirSync, writeFileSync, existsSync, readdirSync, utimesSync } from 'node:fs';
import { join, dirname } from 'node:path';

const HELP = `make-example-data: a deterministic ALF tree of behaviour sessions.

  node scripts/make-example-data.mjs --out DIR [--sessions N] [--messy] [--no-bytes]
                                     [--trials N] [--manifest FILE] [--seed S] [--quiet]

  --out DIR        folder to create (must be absent or empty)
  --sessions N     number of sessions (default 12)
  --trials N       trials per session (default 40: about 5 kB a session)
  --messy          add invalid names, stray files, bad session folders and more
  --manifest FILE  write the list of messy additions as JSON
  --no-bytes       write empty files (same names) for fast scans
  --seed S         integer seed (default 1)`;

const ATTRIBUTES = [
  'intervals', 'goCue_times', 'goCueTrigger_times', 'stimOn_times', 'stimOff_times', 'response_times',
  'feedback_times', 'feedbackType', 'choice', 'contrastLeft', 'contrastRight', 'probabilityLeft',
  'rewardVolume', 'firstMovement_times', 'included',
];
const LABS = [
  ['angelakilab', 'NYU'], ['churchlandlab', 'CSHL'], ['cortexlab', 'KS'], ['danlab', 'DY'],
  ['hoferlab', 'SWC'], ['mainenlab', 'ZM'], ['wittenlab', 'ibl_witten'],
];

function parseArgs(argv) {
  const opts = { sessions: 12, trials: 40, messy: false, bytes: true, seed: 1, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--out') opts.out = value();
    else if (a === '--sessions') opts.sessions = Number(value());
    else if (a === '--trials') opts.trials = Number(value());
    else if (a === '--manifest') opts.manifest = value();
    else if (a === '--seed') opts.seed = Number(value());
    else if (a === '--messy') opts.messy = true;
    else if (a === '--no-bytes') opts.bytes = false;
    else if (a === '--quiet') opts.quiet = true;
    else if (a === '--help' || a === '-h') { console.log(HELP); process.exit(0); }
    else throw new Error(`unknown option ${a} (see --help)`);
  }
  if (!opts.out) throw new Error('--out DIR is required (see --help)');
  for (const k of ['sessions', 'trials', 'seed']) {
    if (!Number.isInteger(opts[k]) || opts[k] < 0) throw new Error(`--${k} takes a whole number`);
  }
  return opts;
}

// mulberry32: small, seedable, and the same on every platform.
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function npyBytes(values, columns) {
  const rows = values.length / columns;
  const shape = columns === 1 ? `(${rows},)` : `(${rows}, ${columns})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const buf = Buffer.alloc(10 + header.length + values.length * 8);
  buf.write('\x93NUMPY', 0, 'latin1');
  buf[6] = 1;
  buf[7] = 0;
  buf.writeUInt16LE(header.length, 8);
  buf.write(header, 10, 'latin1');
  for (let i = 0; i < values.length; i++) buf.writeDoubleLE(values[i], 10 + header.length + i * 8);
  return buf;
}

function trialsData(random, n) {
  const start = [];
  let t = 5 + random() * 10;
  for (let i = 0; i < n; i++) { start.push(t); t += 4 + random() * 6; }
  const stimOn = start.map((s) => s + 0.5 + random() * 0.5);
  const goCue = stimOn.map((s) => s + 0.01);
  const response = goCue.map((g) => g + 0.2 + random() * 1.5);
  const feedback = response.map((r) => r + 0.005);
  const choice = start.map(() => (random() < 0.5 ? -1 : 1));
  const contrasts = [1, 0.25, 0.125, 0.0625, 0];
  const contrastLeft = start.map(() => (random() < 0.5 ? contrasts[Math.floor(random() * 5)] : NaN));
  return {
    intervals: [start.flatMap((s, i) => [s, response[i] + 1.5]), 2],
    goCue_times: [goCue, 1], goCueTrigger_times: [goCue.map((g) => g - 0.0001), 1],
    stimOn_times: [stimOn, 1], stimOff_times: [feedback.map((f) => f + 1), 1],
    response_times: [response, 1], feedback_times: [feedback, 1],
    feedbackType: [choice.map(() => (random() < 0.8 ? 1 : -1)), 1], choice: [choice, 1],
    contrastLeft: [contrastLeft, 1], contrastRight: [contrastLeft.map((c) => (Number.isNaN(c) ? 0.25 : NaN)), 1],
    probabilityLeft: [start.map(() => 0.5), 1], rewardVolume: [choice.map(() => 1.5), 1],
    firstMovement_times: [stimOn.map((s) => s + 0.3), 1], included: [start.map(() => 1), 1],
  };
}

function sessionList(random, count) {
  const out = [];
  const perLab = Math.max(1, Math.ceil(count / LABS.length));
  for (let i = 0; i < count; i++) {
    const [lab, prefix] = LABS[Math.floor(i / perLab) % LABS.length];
    const subjectIndex = 1 + Math.floor((i % perLab) / 8);
    const subject = `${prefix}_${String(subjectIndex).padStart(3, '0')}`;
    const day = new Date(Date.UTC(2020, 0, 6) + (i % perLab % 8) * 86400000 * 2 + Math.floor(i / (perLab * LABS.length)) * 86400000);
    const date = day.toISOString().slice(0, 10);
    out.push({ lab, subject, date, number: '001' });
  }
  // Some days have a second session, as on real rigs.
  for (let i = 0; i < out.length; i += 5) {
    if (random() < 0.3) out[i] = { ...out[i], number: '002' };
  }
  return out;
}

function write(root, rel, bytes, stats) {
  const full = join(root, rel);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, bytes);
  // A fixed mtime keeps repeated runs byte- and stat-identical.
  utimesSync(full, 1700000000, 1700000000);
  stats.files += 1;
  stats.bytes += bytes.length;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (existsSync(opts.out) && readdirSync(opts.out).length > 0) {
    throw new Error(`${opts.out} is not empty; choose a new folder`);
  }
  mkdirSync(opts.out, { recursive: true });
  const random = rng(opts.seed);
  const stats = { files: 0, bytes: 0, sessions: 0 };
  const sessions = sessionList(random, opts.sessions);
  const seen = new Set();
  for (const s of sessions) {
    const sessionPath = `${s.lab}/Subjects/${s.subject}/${s.date}/${s.number}`;
    if (seen.has(sessionPath)) continue;
    seen.add(sessionPath);
    stats.sessions += 1;
    const data = trialsData(random, opts.trials);
    for (const attribute of ATTRIBUTES) {
      const [values, columns] = data[attribute];
      const bytes = opts.bytes ? npyBytes(values, columns) : Buffer.alloc(0);
      write(opts.out, `${sessionPath}/alf/_ibl_trials.${attribute}.npy`, bytes, stats);
    }
  }
  const manifest = opts.messy ? addMess(opts, [...seen], random, stats) : [];
  if (opts.manifest) writeFileSync(opts.manifest, JSON.stringify(manifest, null, 2) + '\n');
  if (!opts.quiet) {
    for (const m of manifest) console.log(`messy: ${m.path} (${m.what})`);
    console.log(`wrote ${stats.sessions} sessions, ${stats.files} files, ${(stats.bytes / 1e6).toFixed(1)} MB to ${opts.out}`);
  }
}

// Each entry: the file or folder added or renamed, what it is, and whether ALF accepts it.
function addMess(opts, sessionPaths, random, stats) {
  const manifest = [];
  const pick = (i) => sessionPaths[i % sessionPaths.length];
  const npy = opts.bytes ? npyBytes([1, 2, 3], 1) : Buffer.alloc(0);
  const add = (rel, what, valid, bytes = npy) => {
    write(opts.out, rel, bytes, stats);
    manifest.push({ path: rel, what, valid });
  };
  const badNames = [
    ['trials choice.npy', 'space in the object'],
    ['_ibl_trials.choice..npy', 'empty part (double dot)'],
    ['_ibl_trials.stimOn_times.npy ', 'trailing space'],
    ['trials_choice.npy', 'no attribute'],
    ['_ibl_trials.choice.npy~', 'editor backup suffix'],
    ['._ibl_trials.choice.npy', 'AppleDouble file'],
  ];
  badNames.forEach(([name, what], i) => add(`${pick(i)}/alf/${name}`, what, false));
  add(`${pick(1)}/.DS_Store`, 'macOS folder metadata', false, Buffer.from('x'));
  add(`${pick(2)}/notes.txt`, 'notes without an attribute', false, Buffer.from('ok\n'));
  add(`${pick(3)}/alf/Trials.Choice.NPY`, 'valid but upper-case extension', true);
  add(`${pick(4)}/alf/#2021-01-01#/_ibl_trials.choice.npy`, 'revision folder', true);
  add(`${pick(5)}/raw_behavior_data/_iblrig_taskSettings.raw.json`, 'raw data collection', true, Buffer.from('{}\n'));
  add(`${pick(0)}/alf/probe00/spikes.times.npy`, 'nested collection', true);
  add('README.txt', 'outside any session', false, Buffer.from('example data\n'));
  const [lab, , subject] = pick(6).split('/');
  add(`${lab}/Subjects/${subject}/2020-02-30/001/alf/_ibl_trials.choice.npy`, 'impossible date', true);
  add(`${lab}/Subjects/${subject}/2020-03-01/0001/alf/_ibl_trials.choice.npy`, 'session number with 4 digits', true);
  add(`KS_099/2020-05-04/1/alf/_ibl_trials.choice.npy`, 'session without lab folder', true);
  add(`${pick(7)}/alf/KS_100/2021-01-01/001/_ibl_trials.choice.npy`, 'session nested in another', true);
  add(`bad-lab/Subjects/XX_001/2020-01-01/001/alf/_ibl_trials.choice.npy`, 'lab name with a hyphen', true);
  add(`${pick(8)}/create_me.flag`, 'flag file', false, Buffer.alloc(0));
  return manifest;
}

try {
  main();
} catch (err) {
  console.error(`make-example-data: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
