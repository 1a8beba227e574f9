#!/usr/bin/env node
/**
 * The long turns of a V8 CPU profile (.cpuprofile, as the extension-host performance suites
 * write with E2E_PROFILE=1): runs of samples with no "(idle)" between them, longest first, each
 * with the functions that took its time (self time, and the time under each of our own frames).
 *
 *   node scripts/profile-turns.mjs FILE.cpuprofile [--turns TURNS.json] [--min-ms 30] [--top 10]
 *
 * Without --turns, a turn is what the profiler saw the thread do between two idle samples, which
 * an extension host rarely reports: read it as a hint. With --turns (the `long` windows of
 * test/event-loop.ts's measureTurns, as the status performance suite writes them beside its
 * profile), each window is a real turn of the event loop, and its samples are read alone.
 */
import * as fs from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const turnsFile = (() => {
  const i = args.indexOf('--turns');
  return i >= 0 ? args[i + 1] : undefined;
})();
if (!file) {
  console.error('usage: profile-turns.mjs FILE.cpuprofile [--turns TURNS.json] [--min-ms 30] [--top 10]');
  process.exit(2);
}
const minMs = opt('--min-ms', 30);
const top = opt('--top', 10);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const nameOf = (n) => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
};
const stackOf = (id) => {
  const out = [];
  for (let n = id; n !== undefined; n = parent.get(n)) out.push(byId.get(n));
  return out; // leaf first
};

// Group samples into turns: the measured windows, or runs of samples between idle ones.
const turns = [];
if (turnsFile) {
  const windows = JSON.parse(fs.readFileSync(turnsFile, 'utf8')).sort((x, y) => x.startUs - y.startUs);
  for (const w of windows) turns.push({ start: (w.startUs - profile.startTime) / 1000, ms: 0, samples: [], measured: w });
  let t = profile.startTime;
  let w = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    while (w < windows.length && windows[w].endUs < t) w++;
    const turn = turns[w];
    if (!turn || t < turn.measured.startUs) return;
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    turn.ms += dt;
    turn.samples.push([id, dt]);
  });
  const outside = windows.filter((x) => x.endUs < profile.startTime || x.startUs > profile.endTime).length;
  if (outside) console.log(`${outside} of ${windows.length} windows fall outside the profile (${profile.startTime}–${profile.endTime} µs): another clock?`);
} else {
  let current;
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000; // the time this sample stands for, in ms
    if (byId.get(id).callFrame.functionName === '(idle)') {
      current = undefined;
      return;
    }
    if (!current) turns.push((current = { start: (t - profile.startTime) / 1000, ms: 0, samples: [] }));
    current.ms += dt;
    current.samples.push([id, dt]);
  });
}

const total = turns.reduce((s, x) => s + x.ms, 0);
console.log(`${file}: ${profile.samples.length} samples, ${turns.length} turns, ${total.toFixed(0)} ms busy; over ${minMs} ms: ${turns.filter((x) => x.ms >= minMs).length}`);
const size = (x) => x.measured?.cpuMs ?? x.ms;
const long = [...turns].sort((a, b) => size(b) - size(a)).filter((x) => size(x) >= minMs).slice(0, top);
for (const turn of long) {
  const self = new Map();
  const inclusive = new Map();
  const entry = new Map();
  for (const [id, dt] of turn.samples) {
    const stack = stackOf(id);
    const leaf = nameOf(stack[0]);
    self.set(leaf, (self.get(leaf) ?? 0) + dt);
    const seen = new Set();
    for (const n of stack) {
      const name = nameOf(n);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
    }
    // The entry: the outermost frames below (root), which say which callback the turn ran.
    const outer = stack.slice(-4, -1).reverse().map(nameOf).join(' > ');
    entry.set(outer, (entry.get(outer) ?? 0) + dt);
  }
  const fmt = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `      ${v.toFixed(1).padStart(6)} ms  ${k}`).join('\n');
  const measured = turn.measured ? ` (measured: ${turn.measured.cpuMs.toFixed(1)} ms of CPU, ${turn.measured.wallMs.toFixed(1)} ms wall)` : '';
  console.log(`\n  turn at ${turn.start.toFixed(0)} ms: ${turn.ms.toFixed(1)} ms sampled${measured}`);
  console.log(`    entries:\n${fmt(entry, 3)}`);
  console.log(`    self:\n${fmt(self, 8)}`);
  console.log(`    inclusive:\n${fmt(inclusive, 25)}`);
}
